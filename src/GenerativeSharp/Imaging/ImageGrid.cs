using TorchSharp;

namespace GenerativeSharp.Imaging;

/// <summary>
/// Tiles a batch of images into one RGB picture (like torchvision's make_grid, written afresh):
/// row by row, <c>columns</c> tiles per row, <c>padding</c> pixels of dark gray between the tiles and
/// around the edge. Cells after the last image stay dark gray.
/// </summary>
public static class ImageGrid
{
    /// <summary>The colour of the padding and of empty cells (dark gray).</summary>
    internal const byte Background = 48;

    /// <summary>
    /// Renders <paramref name="images"/> (see <see cref="Render"/>) and writes the grid as a PNG,
    /// atomically and deterministically (see <see cref="PngFile"/>).
    /// </summary>
    public static void Write(string path, torch.Tensor images, int? columns = null, int padding = 2, int scale = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Render(images, columns, padding, scale).WritePng(path);
    }

    /// <summary>
    /// Tiles <paramref name="images"/>, a float32 or float64 tensor [N, C, H, W] with N &gt;= 1 and
    /// C = 1 (gray, copied to R, G and B) or 3 (RGB), into one RGB image. Values are clamped to [0, 1]
    /// and mapped to 0..255 (rounded); NaN counts as 0 (black).
    /// </summary>
    /// <param name="images">The batch; on any device, left unchanged.</param>
    /// <param name="columns">Tiles per row, &gt;= 1; default ceil(sqrt(N)). Need not divide N.</param>
    /// <param name="padding">Pixels of background between tiles and around the edge, &gt;= 0.</param>
    /// <param name="scale">Integer upsampling factor (nearest neighbour) for each tile, &gt;= 1.</param>
    public static RgbImage Render(torch.Tensor images, int? columns = null, int padding = 2, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(images);
        CheckShape(images);
        int n = (int)images.shape[0], c = (int)images.shape[1], h = (int)images.shape[2], w = (int)images.shape[3];
        int cols = columns ?? (int)Math.Ceiling(Math.Sqrt(n));
        if (cols < 1)
        {
            throw new ArgumentException($"Expected columns >= 1, got {cols}.", nameof(columns));
        }
        if (padding < 0)
        {
            throw new ArgumentException($"Expected padding >= 0, got {padding}.", nameof(padding));
        }
        if (scale < 1)
        {
            throw new ArgumentException($"Expected scale >= 1, got {scale}.", nameof(scale));
        }

        int rows = (n + cols - 1) / cols;
        int tileW = w * scale, tileH = h * scale;
        long gridW = ((long)cols * tileW) + ((long)(cols + 1) * padding);
        long gridH = ((long)rows * tileH) + ((long)(rows + 1) * padding);
        if (gridW * gridH * 3 > Array.MaxLength)
        {
            throw new ArgumentException($"The grid would be {gridW}x{gridH} pixels, too large for one image.", nameof(images));
        }

        float[] values = ReadValues(images);   // [N, C, H, W] flattened
        var pixels = new byte[gridW * gridH * 3];
        Array.Fill(pixels, Background);

        for (int i = 0; i < n; i++)
        {
            int left = padding + ((i % cols) * (tileW + padding));
            int top = padding + ((i / cols) * (tileH + padding));
            for (int y = 0; y < tileH; y++)
            {
                long rowStart = (((top + y) * gridW) + left) * 3;
                for (int x = 0; x < tileW; x++)
                {
                    long p = rowStart + (x * 3);
                    int srcPixel = ((y / scale) * w) + (x / scale);
                    for (int k = 0; k < 3; k++)
                    {
                        int channel = c == 1 ? 0 : k;
                        pixels[p + k] = ToByte(values[(((long)i * c + channel) * h * w) + srcPixel]);
                    }
                }
            }
        }
        return new RgbImage(pixels, (int)gridW, (int)gridH);
    }

    private static void CheckShape(torch.Tensor images)
    {
        if (images.dim() != 4)
        {
            throw new ArgumentException(
                $"Expected images of shape [N, C, H, W], got a {images.dim()}-D tensor of shape {ShapeText(images)}.", nameof(images));
        }
        if (images.shape[0] < 1 || images.shape[2] < 1 || images.shape[3] < 1)
        {
            throw new ArgumentException(
                $"Expected images of shape [N, C, H, W] with N, H, W >= 1, got {ShapeText(images)}.", nameof(images));
        }
        if (images.shape[1] is not (1 or 3))
        {
            throw new ArgumentException(
                $"Expected images of shape [N, C, H, W] with C = 1 or 3, got C = {images.shape[1]} in {ShapeText(images)}.", nameof(images));
        }
        if (images.dtype is not (torch.ScalarType.Float32 or torch.ScalarType.Float64))
        {
            throw new ArgumentException(
                $"Expected a float32 or float64 tensor with values in [0, 1], got {images.dtype}.", nameof(images));
        }
    }

    private static float[] ReadValues(torch.Tensor images)
    {
        using var scope = torch.NewDisposeScope();
        torch.Tensor cpu = images.detach().to(torch.CPU).to_type(torch.ScalarType.Float32).contiguous();
        return cpu.data<float>().ToArray();
    }

    private static byte ToByte(float v) =>
        float.IsNaN(v) ? (byte)0 : (byte)Math.Round(Math.Clamp(v, 0f, 1f) * 255f, MidpointRounding.AwayFromZero);

    private static string ShapeText(torch.Tensor t) => "[" + string.Join(", ", t.shape) + "]";
}
