namespace GenerativeSharp.Imaging;

/// <summary>
/// An 8-bit RGB image held in memory: <see cref="Pixels"/> is row-major, top row first, 3 bytes per
/// pixel, <c>Width * Height * 3</c> bytes in all.
/// </summary>
public sealed record RgbImage(byte[] Pixels, int Width, int Height)
{
    /// <summary>The (red, green, blue) bytes of the pixel in column <paramref name="x"/>, row <paramref name="y"/> (0 = top).</summary>
    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            int i = ((y * Width) + x) * 3;
            return (Pixels[i], Pixels[i + 1], Pixels[i + 2]);
        }
    }

    /// <summary>Writes the image as a PNG (atomically, see <see cref="PngFile"/>).</summary>
    public void WritePng(string path) => PngFile.Write(path, Pixels, Width, Height, channels: 3);
}
