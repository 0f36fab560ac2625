using GenerativeSharp.Imaging;
using StbImageWriteSharp;
using TorchSharp;

namespace GenerativeSharp.Cli.Studio;

/// <summary>Images as the PNG bytes the studio answers with (the same tiling as the command line's grids, kept in memory).</summary>
internal static class PngEncoding
{
    /// <summary>Images [N, C, H, W] in [0, 1] as one PNG, <paramref name="columns"/> per row (default all in one row), no padding for one image.</summary>
    public static byte[] Encode(torch.Tensor images, int? columns = null)
    {
        int count = (int)images.shape[0];
        RgbImage picture = ImageGrid.Render(images.cpu(), columns ?? count, padding: count == 1 ? 0 : 2);
        return Encode(picture);
    }

    /// <summary>An RGB picture as PNG bytes.</summary>
    public static byte[] Encode(RgbImage picture)
    {
        using var stream = new MemoryStream();
        new ImageWriter().WritePng(picture.Pixels, picture.Width, picture.Height, ColorComponents.RedGreenBlue, stream);
        return stream.ToArray();
    }
}
