using StbImageWriteSharp;

namespace GenerativeSharp.Imaging;

/// <summary>
/// Writes 8-bit PNG files. Same pixels give the same bytes (the encoder is pure C#, with no
/// timestamps or other metadata), and a file is never seen half-written: the bytes go to a temporary
/// file in the target's directory, which is then renamed over the target.
/// </summary>
public static class PngFile
{
    /// <summary>
    /// Writes <paramref name="pixels"/> (row-major, top row first; <paramref name="channels"/> bytes per
    /// pixel: 1 gray, 3 RGB or 4 RGBA) as a PNG at <paramref name="path"/>, creating its directory.
    /// </summary>
    public static void Write(string path, byte[] pixels, int width, int height, int channels)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(pixels);
        if (width < 1 || height < 1)
        {
            throw new ArgumentException($"Expected width and height >= 1, got {width}x{height}.");
        }
        ColorComponents components = channels switch
        {
            1 => ColorComponents.Grey,
            3 => ColorComponents.RedGreenBlue,
            4 => ColorComponents.RedGreenBlueAlpha,
            _ => throw new ArgumentException($"Expected channels 1 (gray), 3 (RGB) or 4 (RGBA), got {channels}.", nameof(channels)),
        };
        long expected = (long)width * height * channels;
        if (pixels.LongLength != expected)
        {
            throw new ArgumentException(
                $"Expected {expected} bytes for {width}x{height}x{channels} pixels, got {pixels.LongLength}.", nameof(pixels));
        }

        AtomicFile.Write(path, stream => new ImageWriter().WritePng(pixels, width, height, components, stream));
    }
}
