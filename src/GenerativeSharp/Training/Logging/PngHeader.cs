using System.Buffers.Binary;

namespace GenerativeSharp.Training.Logging;

/// <summary>
/// The size and colour space of a PNG, read from its IHDR chunk: what a TensorBoard image summary
/// states beside the encoded bytes.
/// </summary>
/// <param name="Colorspace">TensorBoard's code: 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA.</param>
public sealed record PngHeader(int Width, int Height, int Colorspace)
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Reads the header of <paramref name="png"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a PNG.</exception>
    public static PngHeader Read(ReadOnlySpan<byte> png)
    {
        // 8-byte signature, then IHDR: length (4), "IHDR" (4), width (4), height (4), bit depth (1), colour type (1)
        if (png.Length < 26 || !png[..8].SequenceEqual(Signature) || !png.Slice(12, 4).SequenceEqual("IHDR"u8))
            throw new InvalidDataException("not a PNG image (no PNG signature and IHDR chunk).");
        int width = BinaryPrimitives.ReadInt32BigEndian(png[16..]);
        int height = BinaryPrimitives.ReadInt32BigEndian(png[20..]);
        int colorspace = png[25] switch
        {
            0 => 1,         // grey
            4 => 2,         // grey + alpha
            2 or 3 => 3,    // RGB, palette
            6 => 4,         // RGBA
            byte other => throw new InvalidDataException($"PNG colour type {other} is not one the PNG standard defines."),
        };
        return new PngHeader(width, height, colorspace);
    }
}
