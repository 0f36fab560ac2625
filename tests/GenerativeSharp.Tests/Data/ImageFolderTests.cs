using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using GenerativeSharp.Data;
using GenerativeSharp.Imaging;
using StbImageWriteSharp;
using TorchSharp;

namespace GenerativeSharp.Tests.Data;

public sealed class ImageFolderTests : IDisposable
{
    private const float Level = 1f / 255f;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Train_and_test_folders_with_class_folders_give_labels_and_sorted_class_names()
    {
        string dir = Folder("d");
        WriteSolid(dir, "train/dog/b.png", 20);
        WriteSolid(dir, "train/cat/a.png", 10);
        WriteSolid(dir, "train/dog/c.png", 30);
        WriteSolid(dir, "test/cat/d.png", 40);
        WriteSolid(dir, "test/emu/e.png", 50); // a class seen only in test still gets a label

        using ImageFolderContent content = ImageFolder.Load(dir, null, null, null);

        Assert.Equal(["cat", "dog", "emu"], content.ClassNames);
        Assert.False(content.SplitByHash);
        Assert.Equal(3, content.Channels);
        Assert.Equal(0, content.UnmatchedCount);
        Assert.Equal(["cat/a.png", "dog/b.png", "dog/c.png"], content.Train.RelativePaths);
        Assert.Equal(["cat/d.png", "emu/e.png"], content.Test.RelativePaths);
        Assert.Equal([0L, 1, 1], content.Train.Data.Labels!.data<long>().ToArray());
        Assert.Equal([0L, 2], content.Test.Data.Labels!.data<long>().ToArray());
        Assert.Equal([3L, 3, 2, 2], content.Train.Data.Examples.shape);
        Assert.Equal([10f / 255, 20f / 255, 30f / 255], FirstValues(content.Train.Data.Examples), Close);
        Assert.Null(content.Train.Targets);
    }

    [Fact]
    public void Without_train_and_test_folders_a_stable_hash_picks_about_a_tenth_for_test()
    {
        string dir = Folder("pool");
        for (int i = 0; i < 200; i++) WriteSolid(dir, $"{(i % 2 == 0 ? "even" : "odd")}/img{i:000}.png", (byte)i, width: 1, height: 1);

        using ImageFolderContent first = ImageFolder.Load(dir, null, null, null);
        using ImageFolderContent second = ImageFolder.Load(dir, null, null, null);

        Assert.True(first.SplitByHash);
        Assert.Equal(first.Train.RelativePaths, second.Train.RelativePaths);
        Assert.Equal(first.Test.RelativePaths, second.Test.RelativePaths);
        Assert.InRange(first.Test.RelativePaths.Count, 10, 40);
        Assert.Empty(first.Train.RelativePaths.Intersect(first.Test.RelativePaths));
        Assert.Equal(200, first.Train.RelativePaths.Union(first.Test.RelativePaths).Count());
        Assert.Equal(first.Train.RelativePaths.Order(StringComparer.Ordinal), first.Train.RelativePaths);
        Assert.Equal(["even", "odd"], first.ClassNames);
        long[] labels = first.Test.Data.Labels!.data<long>().ToArray();
        Assert.Equal(first.Test.RelativePaths.Select(p => p.StartsWith("even/", StringComparison.Ordinal) ? 0L : 1L), labels);
    }

    [Fact]
    public void Images_directly_in_the_folders_have_no_labels()
    {
        string dir = Folder("flat");
        WriteSolid(dir, "train/a.png", 1);
        WriteSolid(dir, "test/b.png", 2);

        using ImageFolderContent content = ImageFolder.Load(dir, null, null, null);

        Assert.Empty(content.ClassNames);
        Assert.Null(content.Train.Data.Labels);
        Assert.Null(content.Test.Data.Labels);
    }

    [Fact]
    public void Images_both_loose_and_in_class_folders_are_an_error()
    {
        string dir = Folder("mixed");
        WriteSolid(dir, "train/cat/a.png", 1);
        WriteSolid(dir, "train/b.png", 2);
        WriteSolid(dir, "test/cat/c.png", 3);

        var e = Assert.Throws<InvalidInputException>(() => ImageFolder.Load(dir, null, null, null));
        Assert.Contains("b.png", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Transparent_pixels_become_white_and_half_transparent_red_blends_with_white()
    {
        string dir = Folder("rgba");
        WriteBoth(dir, "x.png", path => PngFile.Write(path, [0, 0, 0, 0, 255, 0, 0, 127], 2, 1, 4));

        using ImageFolderContent content = ImageFolder.Load(dir, null, null, null);

        Assert.Equal(3, content.Channels);
        // [1, 3, 1, 2]: channel-major, so R of both pixels, then G, then B.
        Assert.Equal([1f, 1f, 1f, 128f / 255, 1f, 128f / 255], Values(content.Train.Data.Examples), WithinOneLevel);
    }

    [Fact]
    public void Palette_png_with_transparency_loads_as_colour_over_white()
    {
        string dir = Folder("palette");
        WriteBoth(dir, "p.png", path => RawPng.Write(
            path, width: 2, height: 1, bitDepth: 8, colorType: 3, samples: [0, 1], palette: [255, 0, 0, 0, 0, 255], transparency: [255, 0]));

        using ImageFolderContent content = ImageFolder.Load(dir, null, null, null);

        Assert.Equal(3, content.Channels);
        Assert.Equal([1f, 1f, 0f, 1f, 0f, 1f], Values(content.Train.Data.Examples), WithinOneLevel); // red, then white
    }

    [Fact]
    public void A_folder_of_grey_images_has_one_channel_and_one_colour_image_makes_it_three()
    {
        string dir = Folder("grey");
        WriteSolid(dir, "train/a.png", 200, channels: 1);
        WriteSolid(dir, "test/b.png", 50, channels: 1);

        using (ImageFolderContent grey = ImageFolder.Load(dir, null, null, null))
        {
            Assert.Equal(1, grey.Channels);
            Assert.Equal([1L, 1, 2, 2], grey.Train.Data.Examples.shape);
            Assert.All(Values(grey.Train.Data.Examples), v => Assert.Equal(200f / 255, v, 1e-6f));
        }

        WriteSolid(dir, "test/c.png", 90);
        using ImageFolderContent colour = ImageFolder.Load(dir, null, null, null);
        Assert.Equal(3, colour.Channels);
        Assert.All(Values(colour.Train.Data.Examples), v => Assert.Equal(200f / 255, v, 1e-6f));
    }

    [Fact]
    public void Sixteen_bit_grey_png_loads_reduced_to_eight_bits()
    {
        string dir = Folder("deep");
        WriteBoth(dir, "d.png", path => RawPng.Write(path, width: 2, height: 1, bitDepth: 16, colorType: 0, samples: [0xFF, 0xFF, 0x80, 0x00]));

        using ImageFolderContent content = ImageFolder.Load(dir, null, null, null);

        Assert.Equal(1, content.Channels);
        Assert.Equal([1f, 0.5f], Values(content.Train.Data.Examples), WithinOneLevel);
    }

    [Fact]
    public void Jpeg_loads_with_about_the_right_colour()
    {
        string dir = Folder("jpeg");
        byte[] pixels = [.. Enumerable.Repeat<byte[]>([200, 100, 50], 8 * 8).SelectMany(p => p)];
        WriteBoth(dir, "j.JPG", path =>
        {
            using var stream = File.Create(path);
            new ImageWriter().WriteJpg(pixels, 8, 8, ColorComponents.RedGreenBlue, stream, 95);
        });

        using ImageFolderContent content = ImageFolder.Load(dir, null, null, null);

        Assert.Equal(3, content.Channels);
        float[] means = content.Train.Data.Examples.mean([0, 2, 3]).data<float>().ToArray(); // [3]
        Assert.Equal([200f / 255, 100f / 255, 50f / 255], means, (a, b) => Math.Abs(a - b) < 4 * Level);
    }

    [Fact]
    public void Area_resize_averages_whole_blocks_when_the_ratio_is_whole()
    {
        float[] resized = LoadGreyResized([.. Enumerable.Range(0, 16).Select(i => (byte)(i * 10))], 4, 4, size: 2);

        // 2x2 blocks of [[0,10,20,30],[40,50,60,70],[80,90,100,110],[120,130,140,150]].
        Assert.Equal([25f / 255, 45f / 255, 105f / 255, 125f / 255], resized, Close);
    }

    [Fact]
    public void Area_resize_weights_partly_covered_pixels_by_the_covered_fraction()
    {
        float[] resized = LoadGreyResized([.. Enumerable.Range(0, 9).Select(i => (byte)(i * 30))], 3, 3, size: 2);

        // Output (0,0) covers source [0,1.5)x[0,1.5): weights 2/3, 1/3 on each axis, so
        // (4*0 + 2*30 + 2*90 + 1*120) / 9 = 40; the others by the same rule: 80, 160, 200.
        Assert.Equal([40f / 255, 80f / 255, 160f / 255, 200f / 255], resized, Close);
    }

    [Fact]
    public void Area_resize_stretches_a_non_square_image_and_enlarging_repeats_pixels()
    {
        float[] stretched = LoadGreyResized([0, 10, 20, 30, 40, 50, 60, 70], 4, 2, size: 2);
        Assert.Equal([5f / 255, 25f / 255, 45f / 255, 65f / 255], stretched, Close);

        float[] enlarged = LoadGreyResized([0, 40, 80, 120], 2, 2, size: 4);
        Assert.Equal([0f, 0, 40, 40, 0, 0, 40, 40, 80, 80, 120, 120, 80, 80, 120, 120], enlarged.Select(v => v * 255), (a, b) => Math.Abs(a - b) < 1e-3);
    }

    [Fact]
    public void Different_sizes_need_image_size_and_load_with_it()
    {
        string dir = Folder("sizes");
        WriteSolid(dir, "train/a.png", 10, width: 4, height: 4);
        WriteSolid(dir, "train/b.png", 20, width: 3, height: 5);
        WriteSolid(dir, "test/c.png", 30, width: 4, height: 4);

        var e = Assert.Throws<InvalidInputException>(() => ImageFolder.Load(dir, null, null, null));
        Assert.Contains("b.png", e.Message);
        Assert.Contains("--image-size", e.Message);

        using ImageFolderContent content = ImageFolder.Load(dir, null, 2, null);
        Assert.Equal([2L, 3, 2, 2], content.Train.Data.Examples.shape);
        Assert.Equal([1L, 3, 2, 2], content.Test.Data.Examples.shape);
    }

    [Fact]
    public void Pairs_align_targets_with_inputs_by_relative_path_and_count_the_unmatched()
    {
        string dir = Folder("in"), targets = Folder("out");
        WriteSolid(dir, "train/a.png", 10);
        WriteSolid(dir, "train/b.png", 20); // no partner
        WriteSolid(dir, "train/c.png", 30);
        WriteSolid(dir, "test/d.png", 40);
        WriteSolid(targets, "train/c.png", 130, channels: 1);
        WriteSolid(targets, "train/a.png", 110, channels: 1);
        WriteSolid(targets, "train/z.png", 250, channels: 1); // no input: ignored
        WriteSolid(targets, "test/d.png", 140, channels: 1);
        var progress = new StringWriter();

        using ImageFolderContent content = ImageFolder.Load(dir, targets, null, progress);

        Assert.Equal(1, content.UnmatchedCount);
        Assert.Contains("left out 1 of 4 images", progress.ToString());
        Assert.Equal(["a.png", "c.png"], content.Train.RelativePaths);
        Assert.Equal(3, content.Channels);
        Assert.Equal([2L, 1, 2, 2], content.Train.Targets!.shape);
        Assert.Equal([10f / 255, 30f / 255], FirstValues(content.Train.Data.Examples), Close);
        Assert.Equal([110f / 255, 130f / 255], FirstValues(content.Train.Targets), Close);
        Assert.Equal([140f / 255], FirstValues(content.Test.Targets!), Close);
    }

    [Fact]
    public void Folders_without_a_single_match_are_read_as_two_unpaired_domains_of_their_own_sizes_and_splits()
    {
        string dir = Folder("in"), targets = Folder("out");
        WriteSolid(dir, "train/a.png", 10);
        WriteSolid(dir, "test/b.png", 20);
        WriteSolid(targets, "train/x.png", 110);
        WriteSolid(targets, "train/y.png", 120);
        WriteSolid(targets, "test/z.png", 130);
        var said = new StringWriter();

        using ImageFolderContent content = ImageFolder.Load(dir, targets, null, said);
        Assert.False(content.Train.Data.TargetsPaired);
        Assert.Equal(1, content.Train.Data.Count);
        Assert.Equal(2, content.Train.Targets!.shape[0]);                                            // all of B's training images
        Assert.Equal([110f / 255, 120f / 255], FirstValues(content.Train.Targets), Close);
        Assert.Equal([130f / 255], FirstValues(content.Test.Targets!), Close);
        Assert.Equal("", said.ToString());                                                            // the run's first lines say it

        string small = Folder("small");
        WriteSolid(small, "train/p.png", 10, width: 3, height: 3);
        WriteSolid(small, "test/q.png", 10, width: 3, height: 3);
        var sizes = Assert.Throws<InvalidInputException>(() => ImageFolder.Load(dir, small, null, null));
        Assert.Contains("give --image-size N to read both at one size", sizes.Message);
    }

    [Fact]
    public void An_undecodable_file_is_named_in_the_error()
    {
        string dir = Folder("bad");
        WriteSolid(dir, "train/a.png", 10);
        WriteSolid(dir, "test/b.png", 20);
        File.WriteAllBytes(Path.Combine(dir, "train", "x.png"), [.. Enumerable.Range(0, 200).Select(i => (byte)(i * 37 + 11))]);

        var e = Assert.Throws<InvalidInputException>(() => ImageFolder.Load(dir, null, null, null));
        Assert.Contains("x.png", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_truncated_png_is_named_with_a_printable_reason()
    {
        string dir = Folder("truncated");
        WriteSolid(dir, "train/t.png", 10, width: 16, height: 16);
        WriteSolid(dir, "test/b.png", 20, width: 16, height: 16);
        string path = Path.Combine(dir, "train", "t.png");
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<InvalidInputException>(() => ImageFolder.Load(dir, null, null, null));
        Assert.Contains("t.png", e.Message);
        Assert.DoesNotContain(e.Message, char.IsControl);
    }

    [Fact]
    public void Missing_and_empty_folders_are_errors()
    {
        string empty = Folder("empty");
        Directory.CreateDirectory(empty);
        File.WriteAllText(Path.Combine(empty, "notes.txt"), "no images here");

        Assert.Contains("no such directory", Assert.Throws<InvalidInputException>(() => ImageFolder.Load(Folder("nope"), null, null, null)).Message);
        Assert.Contains("no .png", Assert.Throws<InvalidInputException>(() => ImageFolder.Load(empty, null, null, null)).Message);
    }

    [Fact]
    public void Contains_finds_an_image_at_any_depth_in_any_letter_case()
    {
        string images = Folder("nested"), text = Folder("text");
        WriteSolid(images, "a/b/c/photo.PNG", 1);
        Directory.CreateDirectory(text);
        File.WriteAllText(Path.Combine(text, "readme.txt"), "x");

        Assert.True(ImageFolder.Contains(images));
        Assert.False(ImageFolder.Contains(text));
        Assert.False(ImageFolder.Contains(Folder("missing")));
    }

    private static bool Close(float a, float b) => Math.Abs(a - b) < 1e-5f;

    private static bool WithinOneLevel(float a, float b) => Math.Abs(a - b) <= Level + 1e-6f;

    private string Folder(string name) => Path.Combine(_dir.Path, name);

    /// <summary>Writes the same file as train/NAME and test/NAME, so a one-image check has both splits.</summary>
    private static void WriteBoth(string dir, string name, Action<string> write)
    {
        foreach (string split in new[] { "train", "test" })
        {
            Directory.CreateDirectory(Path.Combine(dir, split));
            write(Path.Combine(dir, split, name));
        }
    }

    /// <summary>A PNG filled with (value, value+1, value+2) in RGB, or value in grey.</summary>
    private static void WriteSolid(string dir, string relative, byte value, int channels = 3, int width = 2, int height = 2)
    {
        byte[] pixel = channels == 1 ? [value] : [value, (byte)(value + 1), (byte)(value + 2)];
        byte[] pixels = [.. Enumerable.Repeat(pixel, width * height).SelectMany(p => p)];
        PngFile.Write(Path.Combine(dir, relative), pixels, width, height, channels);
    }

    private float[] LoadGreyResized(byte[] pixels, int width, int height, int size)
    {
        string dir = Folder("resize-" + Guid.NewGuid().ToString("N"));
        WriteBoth(dir, "r.png", path => PngFile.Write(path, pixels, width, height, 1));
        using ImageFolderContent content = ImageFolder.Load(dir, null, size, null);
        Assert.Equal([1L, 1, size, size], content.Train.Data.Examples.shape);
        return Values(content.Train.Data.Examples);
    }

    private static float[] Values(torch.Tensor images) => images.data<float>().ToArray();

    /// <summary>The first value (channel 0, top-left pixel) of each image in [N, C, H, W].</summary>
    private static float[] FirstValues(torch.Tensor images)
    {
        using torch.Tensor first = images[.., 0, 0, 0]; // [N]
        return first.contiguous().data<float>().ToArray();
    }

    /// <summary>A minimal PNG encoder for the formats the project's writer does not make: palette with tRNS, and 16-bit samples.</summary>
    private static class RawPng
    {
        private static readonly uint[] CrcTable = MakeCrcTable();

        /// <summary>Writes <paramref name="samples"/> (rows of packed samples, big-endian for 16-bit) as one unfiltered IDAT.</summary>
        public static void Write(
            string path, int width, int height, byte bitDepth, byte colorType, byte[] samples, byte[]? palette = null, byte[]? transparency = null)
        {
            int rowBytes = samples.Length / height;
            using var compressed = new MemoryStream();
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                for (int y = 0; y < height; y++)
                {
                    zlib.WriteByte(0); // filter: none
                    zlib.Write(samples, y * rowBytes, rowBytes);
                }
            }

            var header = new byte[13];
            BinaryPrimitives.WriteInt32BigEndian(header, width);
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
            header[8] = bitDepth;
            header[9] = colorType;

            using var png = new MemoryStream();
            png.Write([137, 80, 78, 71, 13, 10, 26, 10]);
            WriteChunk(png, "IHDR", header);
            if (palette is not null) WriteChunk(png, "PLTE", palette);
            if (transparency is not null) WriteChunk(png, "tRNS", transparency);
            WriteChunk(png, "IDAT", compressed.ToArray());
            WriteChunk(png, "IEND", []);
            File.WriteAllBytes(path, png.ToArray());
        }

        private static void WriteChunk(Stream png, string type, byte[] data)
        {
            byte[] typeAndData = [.. Encoding.ASCII.GetBytes(type), .. data];
            var number = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
            png.Write(number);
            png.Write(typeAndData);
            BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typeAndData));
            png.Write(number);
        }

        private static uint Crc32(byte[] bytes)
        {
            uint crc = 0xFFFFFFFF;
            foreach (byte b in bytes) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
            return crc ^ 0xFFFFFFFF;
        }

        private static uint[] MakeCrcTable()
        {
            var table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
                table[n] = c;
            }

            return table;
        }
    }
}
