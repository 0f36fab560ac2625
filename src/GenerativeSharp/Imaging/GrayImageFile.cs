using StbImageSharp;
using TorchSharp;

namespace GenerativeSharp.Imaging;

/// <summary>Reads an image file (PNG, JPEG, BMP, ...) as gray intensities, for images a user hands to a command.</summary>
public static class GrayImageFile
{
    /// <summary>
    /// The image at <paramref name="path"/> as float32 [1, H, W] in [0, 1] (colour converted to gray
    /// by stb_image's luma rule, alpha dropped).
    /// </summary>
    /// <exception cref="InvalidInputException">The file is missing or not a readable image.</exception>
    public static torch.Tensor Read(string path)
    {
        if (!File.Exists(path)) throw new InvalidInputException($"{path}: no such image file.");
        ImageResult image;
        try
        {
            using var stream = File.OpenRead(path);
            image = ImageResult.FromStream(stream, ColorComponents.Grey);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException or NotSupportedException)
        {
            throw new InvalidInputException($"{path}: not a readable image ({e.Message}).", e);
        }
        var values = new float[image.Data.Length];
        for (int i = 0; i < values.Length; i++) values[i] = image.Data[i] / 255f;
        return torch.tensor(values, [1, image.Height, image.Width]);
    }
}
