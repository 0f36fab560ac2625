using GenerativeSharp.Imaging;
using StbImageSharp;

namespace GenerativeSharp.Tests.Imaging;

public sealed class PngFileTests
{
    [Theory]
    [InlineData(1, ColorComponents.Grey)]
    [InlineData(3, ColorComponents.RedGreenBlue)]
    [InlineData(4, ColorComponents.RedGreenBlueAlpha)]
    public void Write_then_read_gives_back_the_same_pixels(int channels, ColorComponents components)
    {
        using var dir = new TempDirectory();
        byte[] pixels = Enumerable.Range(0, 5 * 3 * channels).Select(i => (byte)(i * 7)).ToArray();

        PngFile.Write(dir.File("a.png"), pixels, width: 5, height: 3, channels);

        ImageResult read = ImageResult.FromMemory(File.ReadAllBytes(dir.File("a.png")), components);
        Assert.Equal((5, 3), (read.Width, read.Height));
        Assert.Equal(pixels, read.Data);
    }

    [Fact]
    public void Same_pixels_give_identical_bytes()
    {
        using var dir = new TempDirectory();
        byte[] pixels = Enumerable.Range(0, 16 * 16 * 3).Select(i => (byte)(i % 251)).ToArray();

        PngFile.Write(dir.File("a.png"), pixels, 16, 16, 3);
        PngFile.Write(dir.File("b.png"), pixels, 16, 16, 3);

        Assert.Equal(File.ReadAllBytes(dir.File("a.png")), File.ReadAllBytes(dir.File("b.png")));
    }

    [Fact]
    public void Write_creates_the_directory_replaces_an_existing_file_and_leaves_no_temporary_file()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "sub", "deeper", "a.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[100_000]); // a larger old file must not leave a tail behind

        PngFile.Write(path, new byte[4 * 4], 4, 4, 1);

        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length < 1000);
        Assert.Equal(new byte[16], ImageResult.FromMemory(bytes, ColorComponents.Grey).Data);
        Assert.Equal(["a.png"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_checks_its_arguments()
    {
        using var dir = new TempDirectory();
        var wrongLength = Assert.Throws<ArgumentException>(() => PngFile.Write(dir.File("a.png"), new byte[10], 2, 2, 3));
        Assert.Contains("Expected 12 bytes", wrongLength.Message);
        Assert.Contains("got 10", wrongLength.Message);
        var channels = Assert.Throws<ArgumentException>(() => PngFile.Write(dir.File("a.png"), new byte[8], 2, 2, 2));
        Assert.Contains("got 2", channels.Message);
        Assert.Throws<ArgumentException>(() => PngFile.Write(dir.File("a.png"), [], 0, 2, 3));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
