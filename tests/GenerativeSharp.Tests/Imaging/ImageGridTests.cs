using GenerativeSharp.Imaging;
using StbImageSharp;
using TorchSharp;

namespace GenerativeSharp.Tests.Imaging;

public sealed class ImageGridTests
{
    private const byte Bg = ImageGrid.Background;

    /// <summary>N constant gray images [N, 1, h, w]; image i has value values[i].</summary>
    private static torch.Tensor Constant(int h, int w, params float[] values) =>
        torch.tensor(values).reshape(values.Length, 1, 1, 1).expand(values.Length, 1, h, w).contiguous();

    [Fact]
    public void Two_by_two_grid_places_every_tile_and_the_padding_exactly()
    {
        using var images = Constant(3, 2, 0f, 1f, 0.2f, 0.6f); // [4, 1, 3, 2]

        RgbImage grid = ImageGrid.Render(images, padding: 1);

        // 2 columns of width 2, 2 rows of height 3, padding 1 around and between.
        Assert.Equal((7, 9), (grid.Width, grid.Height));
        byte[] expectedTile = [0, 255, 51, 153];
        for (int y = 0; y < grid.Height; y++)
        {
            for (int x = 0; x < grid.Width; x++)
            {
                bool inColumn0 = x is 1 or 2, inColumn1 = x is 4 or 5;
                bool inRow0 = y is >= 1 and <= 3, inRow1 = y is >= 5 and <= 7;
                byte expected = (inColumn0 || inColumn1) && (inRow0 || inRow1)
                    ? expectedTile[(inRow1 ? 2 : 0) + (inColumn1 ? 1 : 0)]
                    : Bg;
                Assert.Equal((expected, expected, expected), grid[x, y]);
            }
        }
    }

    [Fact]
    public void Five_images_in_three_columns_leave_the_last_cell_empty()
    {
        using var images = Constant(2, 2, 1f, 1f, 1f, 1f, 1f); // [5, 1, 2, 2]

        RgbImage grid = ImageGrid.Render(images, columns: 3, padding: 2);

        Assert.Equal((3 * 2 + 4 * 2, 2 * 2 + 3 * 2), (grid.Width, grid.Height));
        // Tile (row r, column c) starts at pixel (2 + 4c, 2 + 4r).
        Assert.Equal((255, 255, 255), grid[6, 6]);   // row 1, column 1: image 4
        Assert.Equal((255, 255, 255), grid[7, 7]);
        Assert.Equal((Bg, Bg, Bg), grid[10, 6]);     // row 1, column 2: empty
        Assert.Equal((Bg, Bg, Bg), grid[11, 7]);
        Assert.Equal((255, 255, 255), grid[10, 2]);  // row 0, column 2: image 2
    }

    [Fact]
    public void Default_columns_are_the_ceiling_of_the_square_root()
    {
        using var images = Constant(1, 1, 1f, 1f, 1f, 1f, 1f); // N = 5 -> 3 columns, 2 rows

        RgbImage grid = ImageGrid.Render(images, padding: 0);

        Assert.Equal((3, 2), (grid.Width, grid.Height));
    }

    [Fact]
    public void Rgb_channels_stay_apart_and_values_are_clamped()
    {
        // One 1x2 RGB image: pixel 0 = (-0.5, 0.5, 2), pixel 1 = (NaN, 1, 0).
        using var image = torch.tensor(new[] { -0.5f, float.NaN, 0.5f, 1f, 2f, 0f }).reshape(1, 3, 1, 2);

        RgbImage grid = ImageGrid.Render(image, padding: 0);

        Assert.Equal((0, 128, 255), grid[0, 0]);
        Assert.Equal((0, 255, 0), grid[1, 0]);
    }

    [Fact]
    public void Scale_repeats_each_pixel()
    {
        using var image = torch.tensor(new[] { 0f, 1f }).reshape(1, 1, 1, 2);

        RgbImage grid = ImageGrid.Render(image, padding: 1, scale: 3);

        Assert.Equal((8, 5), (grid.Width, grid.Height));
        for (int y = 1; y <= 3; y++)
        {
            Assert.Equal([(0, 0, 0), (0, 0, 0), (0, 0, 0), (255, 255, 255), (255, 255, 255), (255, 255, 255)],
                Enumerable.Range(1, 6).Select(x => grid[x, y]).Select(p => ((int)p.R, (int)p.G, (int)p.B)));
        }
    }

    [Fact]
    public void Write_gives_a_png_with_the_rendered_pixels_and_identical_bytes_each_time()
    {
        using var dir = new TempDirectory();
        using var images = torch.linspace(0, 1, 2 * 3 * 4 * 5).reshape(2, 3, 4, 5);

        ImageGrid.Write(dir.File("a.png"), images, columns: 2);
        ImageGrid.Write(dir.File("b.png"), images, columns: 2);

        byte[] bytes = File.ReadAllBytes(dir.File("a.png"));
        Assert.Equal(bytes, File.ReadAllBytes(dir.File("b.png")));
        ImageResult read = ImageResult.FromMemory(bytes, ColorComponents.RedGreenBlue);
        Assert.Equal(ImageGrid.Render(images, columns: 2).Pixels, read.Data);
    }

    [Fact]
    public void Wrong_shapes_and_arguments_are_rejected_with_expected_and_actual()
    {
        using var threeD = torch.zeros(4, 8, 8);
        var e = Assert.Throws<ArgumentException>(() => ImageGrid.Render(threeD));
        Assert.Contains("[N, C, H, W]", e.Message);
        Assert.Contains("3-D", e.Message);
        Assert.Contains("[4, 8, 8]", e.Message);

        using var twoChannels = torch.zeros(4, 2, 8, 8);
        Assert.Contains("C = 2", Assert.Throws<ArgumentException>(() => ImageGrid.Render(twoChannels)).Message);

        using var empty = torch.zeros(0, 1, 8, 8);
        Assert.Contains("[0, 1, 8, 8]", Assert.Throws<ArgumentException>(() => ImageGrid.Render(empty)).Message);

        using var bytes = torch.zeros(new long[] { 1, 1, 2, 2 }, torch.ScalarType.Byte);
        Assert.Contains("Byte", Assert.Throws<ArgumentException>(() => ImageGrid.Render(bytes)).Message);

        using var ok = torch.zeros(1, 1, 2, 2);
        Assert.Contains("columns >= 1", Assert.Throws<ArgumentException>(() => ImageGrid.Render(ok, columns: 0)).Message);
        Assert.Contains("padding >= 0", Assert.Throws<ArgumentException>(() => ImageGrid.Render(ok, padding: -1)).Message);
        Assert.Contains("scale >= 1", Assert.Throws<ArgumentException>(() => ImageGrid.Render(ok, scale: 0)).Message);
    }
}
