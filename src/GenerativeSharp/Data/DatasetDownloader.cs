using System.Security.Cryptography;

namespace GenerativeSharp.Data;

/// <summary>
/// Downloads a named dataset's files into a directory: each file from the first mirror that
/// serves it, with progress lines, into a temporary file that is renamed only after its MD5
/// matches. Files already present with the right checksum are kept.
/// </summary>
internal sealed class DatasetDownloader
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(60);

    private readonly TextWriter? _progress;

    internal DatasetDownloader(TextWriter? progress) => _progress = progress;

    /// <summary>Downloads every file of <paramref name="dataset"/> into <paramref name="directory"/>.</summary>
    /// <returns>Null on success, else a one-line reason.</returns>
    internal string? TryDownload(NamedDataset dataset, IReadOnlyList<string> mirrors, string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot create {directory} ({OneLine(e.Message)})";
        }

        using var handler = new SocketsHttpHandler { ConnectTimeout = ConnectTimeout };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromMinutes(2) };
        foreach (NamedDataset.File file in dataset.Files)
        {
            string target = Path.Combine(directory, file.Name);
            if (File.Exists(target) && Md5Of(target) == file.Md5)
            {
                continue;
            }

            var failures = new List<string>();
            bool done = false;
            foreach (string mirror in mirrors)
            {
                string url = mirror.TrimEnd('/') + "/" + file.Name;
                string? failure = TryDownloadFile(client, dataset.Name, url, file, target);
                if (failure is null)
                {
                    done = true;
                    break;
                }

                failures.Add($"{url}: {failure}");
            }

            if (!done)
            {
                return string.Join("; ", failures);
            }
        }

        return null;
    }

    private string? TryDownloadFile(HttpClient client, string dataset, string url, NamedDataset.File file, string target)
    {
        string temporary = $"{target}.{Guid.NewGuid():N}.part";
        try
        {
            Report($"{dataset}: downloading {url}");
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            using HttpResponseMessage response = client.Send(request, HttpCompletionOption.ResponseHeadersRead);
            if (!response.IsSuccessStatusCode)
            {
                return $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
            }

            long? length = response.Content.Headers.ContentLength;
            string md5;
            using (Stream body = response.Content.ReadAsStream())
            using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                md5 = Copy(body, output, length, file.Name);
            }

            if (md5 != file.Md5)
            {
                return $"MD5 {md5} does not match the expected {file.Md5}";
            }

            File.Move(temporary, target, overwrite: true);
            Report($"{dataset}: {file.Name} verified (MD5 {md5})");
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or UnauthorizedAccessException
                                      or OperationCanceledException or TimeoutException)
        {
            return OneLine(e is OperationCanceledException ? "timed out" : e.Message);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    // Copies the body to the file, reporting every 10 %, and returns the MD5 of the bytes.
    private string Copy(Stream body, Stream output, long? length, string name)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = new byte[1 << 16];
        long total = 0;
        int reportedTenths = 0;
        while (true)
        {
            using var timeout = new CancellationTokenSource(ReadTimeout);
            int read = body.ReadAsync(buffer, timeout.Token).AsTask().GetAwaiter().GetResult();
            if (read == 0)
            {
                break;
            }

            output.Write(buffer, 0, read);
            md5.AppendData(buffer, 0, read);
            total += read;
            if (length is > 0 && total * 10 / length.Value > reportedTenths)
            {
                reportedTenths = (int)(total * 10 / length.Value);
                Report($"  {name} {reportedTenths * 10}% ({total / 1e6:F1} of {length.Value / 1e6:F1} MB)");
            }
        }

        return Convert.ToHexStringLower(md5.GetHashAndReset());
    }

    private static string Md5Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(MD5.HashData(stream));
    }

    private void Report(string line)
    {
        _progress?.WriteLine(line);
        _progress?.Flush();
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
