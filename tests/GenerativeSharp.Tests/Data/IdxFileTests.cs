using System.IO.Compression;
using GenerativeSharp.Data;

namespace GenerativeSharp.Tests.Data;

public sealed class IdxFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Write_then_Read_round_trips(bool gzip)
    {
        string path = _dir.File(gzip ? "a.gz" : "a");
        byte[] data = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 7)).ToArray();

        IdxFile.Write(path, [2, 3, 4], data, gzip);
        IdxArray read = IdxFile.Read(path);

        Assert.Equal([2, 3, 4], read.Shape);
        Assert.Equal(data, read.Data);
        byte[] head = File.ReadAllBytes(path)[..2];
        Assert.Equal(gzip, head[0] == 0x1f && head[1] == 0x8b);
    }

    [Fact]
    public void Read_detects_gzip_from_content_not_name()
    {
        string path = _dir.File("labels-idx1-ubyte"); // no .gz, but compressed
        IdxFile.Write(path, [5], [1, 2, 3, 4, 5], gzip: true);

        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, IdxFile.Read(path).Data);
    }

    [Fact]
    public void Missing_file_names_the_path()
    {
        string path = _dir.File("nope-idx3-ubyte");
        AssertFault(path, "not found");
    }

    [Fact]
    public void Truncated_data_says_expected_and_found_bytes()
    {
        string path = _dir.File("t");
        IdxFile.Write(path, [2, 4], new byte[8], gzip: false);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);

        string message = AssertFault(path, "truncated");
        Assert.Contains("8 data bytes", message);
        Assert.Contains("found 5", message);
    }

    [Fact]
    public void Truncated_header_is_reported()
    {
        string path = _dir.File("h");
        File.WriteAllBytes(path, [0, 0, 8, 3, 0, 0]);
        AssertFault(path, "truncated IDX header");
    }

    [Fact]
    public void Trailing_bytes_are_counted()
    {
        string path = _dir.File("t.gz");
        IdxFile.Write(path, [3], [1, 2, 3], gzip: false);
        File.AppendAllText(path, "xyzw");
        GzipInPlace(path);

        string message = AssertFault(path, "4 unexpected trailing bytes");
        Assert.Contains("3 data bytes", message);
    }

    [Fact]
    public void Bad_magic_is_rejected()
    {
        string path = _dir.File("m");
        File.WriteAllBytes(path, [0x50, 0x4B, 8, 1, 0, 0, 0, 1, 9]);
        AssertFault(path, "not an IDX file");
    }

    [Fact]
    public void Other_element_types_are_unsupported()
    {
        string path = _dir.File("f");
        File.WriteAllBytes(path, [0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
        AssertFault(path, "unsupported IDX element type 0x0D");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void Dimension_count_outside_1_to_4_is_rejected(byte rank)
    {
        string path = _dir.File("r");
        File.WriteAllBytes(path, [0, 0, 8, rank, 0, 0, 0, 1]);
        AssertFault(path, $"dimension count {rank}");
    }

    [Fact]
    public void Zero_dimension_is_rejected()
    {
        string path = _dir.File("z");
        File.WriteAllBytes(path, [0, 0, 8, 2, 0, 0, 0, 3, 0, 0, 0, 0]);
        AssertFault(path, "dimension 1 is 0");
    }

    [Fact]
    public void Corrupt_gzip_is_reported()
    {
        string path = _dir.File("c.gz");
        IdxFile.Write(path, [100], new byte[100], gzip: true);
        byte[] bytes = File.ReadAllBytes(path);
        for (int i = 10; i < bytes.Length - 8; i++)
        {
            bytes[i] = 0xFF; // garbage deflate data after the gzip header
        }

        File.WriteAllBytes(path, bytes);
        AssertFault(path, "corrupt gzip");
    }

    private static string AssertFault(string path, string fault)
    {
        var e = Assert.Throws<InvalidInputException>(() => IdxFile.Read(path));
        Assert.StartsWith(path, e.Message);
        Assert.Contains(fault, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    private static void GzipInPlace(string path)
    {
        byte[] plain = File.ReadAllBytes(path);
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(plain);
    }
}
