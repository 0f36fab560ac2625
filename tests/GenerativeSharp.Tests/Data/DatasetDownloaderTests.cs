using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using GenerativeSharp.Data;

namespace GenerativeSharp.Tests.Data;

/// <summary>Downloads from a local HTTP server: checksums, temporary files, progress.</summary>
public sealed class DatasetDownloaderTests : IDisposable
{
    private static readonly byte[] Content = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 31)).ToArray();

    private readonly TempDirectory _dir = new();
    private readonly HttpListener _server = new();
    private readonly string _mirror;

    public DatasetDownloaderTests()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _mirror = $"http://127.0.0.1:{port}/";
        _server.Prefixes.Add(_mirror);
        _server.Start();
        _ = Task.Run(Serve);
    }

    public void Dispose()
    {
        _server.Close();
        _dir.Dispose();
    }

    [Fact]
    public void Verified_files_are_renamed_into_place_with_progress()
    {
        var progress = new StringWriter();
        NamedDataset dataset = Fake(Convert.ToHexStringLower(MD5.HashData(Content)));
        string target = Path.Combine(_dir.Path, "fake");

        string? failure = new DatasetDownloader(progress).TryDownload(dataset, [_mirror], target);

        Assert.Null(failure);
        Assert.Equal(Content, File.ReadAllBytes(Path.Combine(target, "a.gz")));
        Assert.Equal(Content, File.ReadAllBytes(Path.Combine(target, "b.gz")));
        Assert.Empty(Directory.GetFiles(target, "*.part"));
        Assert.Contains($"downloading {_mirror}a.gz", progress.ToString());
        Assert.Contains("a.gz 100%", progress.ToString());
        Assert.Contains("verified", progress.ToString());
    }

    [Fact]
    public void Checksum_mismatch_leaves_no_file_behind()
    {
        NamedDataset dataset = Fake("00000000000000000000000000000000");
        string target = Path.Combine(_dir.Path, "fake");

        string? failure = new DatasetDownloader(progress: null).TryDownload(dataset, ["http://127.0.0.1:9/", _mirror], target);

        Assert.NotNull(failure);
        Assert.Contains("http://127.0.0.1:9/a.gz", failure);
        Assert.Contains("does not match the expected 00000000000000000000000000000000", failure);
        Assert.Empty(Directory.GetFiles(target));
    }

    private static NamedDataset Fake(string md5) =>
        new("fake", [], [new("a.gz", md5), new("b.gz", md5)], InstallHint: null);

    private async Task Serve()
    {
        while (_server.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _server.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            context.Response.ContentLength64 = Content.Length;
            await context.Response.OutputStream.WriteAsync(Content);
            context.Response.Close();
        }
    }
}
