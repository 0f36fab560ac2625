using System.Buffers.Binary;
using System.IO.Compression;

namespace GenerativeSharp.Data;

/// <summary>
/// Reads and writes IDX files (the MNIST format: two zero bytes, a type code, the number of
/// dimensions, each dimension as a big-endian uint32, then the data), plain or gzip-compressed.
/// Only the unsigned-byte element type (0x08) is supported. Every fault in a file is reported as
/// an <see cref="InvalidInputException"/> whose one-line message starts with the file path.
/// </summary>
public static class IdxFile
{
    private const byte UnsignedByteType = 0x08;
    private const int MaxDimensions = 4;

    /// <summary>
    /// Reads an IDX file of unsigned bytes; gzip is detected from the content (1f 8b), not the name.
    /// </summary>
    /// <exception cref="InvalidInputException">The file is missing, unreadable, corrupt or not an IDX file of unsigned bytes.</exception>
    public static IdxArray Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new InvalidInputException($"{path}: IDX file not found");
        }

        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            bool gzip = IsGzip(file);
            using Stream content = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
            return ReadContent(path, new BufferedStream(content, 1 << 16));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidInputException($"{path}: corrupt gzip stream ({OneLine(e.Message)}); re-download or re-create the file", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"{path}: cannot read IDX file ({OneLine(e.Message)})", e);
        }
    }

    /// <summary>Writes <paramref name="data"/> with the given shape as an IDX file of unsigned bytes.</summary>
    /// <exception cref="ArgumentException">The shape is not 1 to 4 positive dimensions or does not match the data length.</exception>
    public static void Write(string path, int[] shape, byte[] data, bool gzip)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        if (shape.Length is < 1 or > MaxDimensions || shape.Any(d => d <= 0))
        {
            throw new ArgumentException($"IDX shape must have 1 to {MaxDimensions} positive dimensions, got {FormatShape(shape)}", nameof(shape));
        }

        long expected = shape.Aggregate(1L, (product, d) => product * d);
        if (expected != data.LongLength)
        {
            throw new ArgumentException($"IDX shape {FormatShape(shape)} needs {expected} bytes, got {data.LongLength}", nameof(data));
        }

        var header = new byte[4 + 4 * shape.Length];
        header[2] = UnsignedByteType;
        header[3] = (byte)shape.Length;
        for (int i = 0; i < shape.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), shape[i]);
        }

        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        using Stream output = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        output.Write(header);
        output.Write(data);
    }

    internal static string FormatShape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";

    private static string FormatShape(int[] shape) => FormatShape(shape.Select(d => (long)d));

    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    private static IdxArray ReadContent(string path, Stream content)
    {
        // 1. Magic: 00 00, type code, number of dimensions.
        Span<byte> magic = stackalloc byte[4];
        int got = content.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (got < 4)
        {
            throw new InvalidInputException($"{path}: truncated IDX header (found {got} of 4 magic bytes)");
        }

        if (magic[0] != 0 || magic[1] != 0)
        {
            throw new InvalidInputException($"{path}: not an IDX file (magic starts {magic[0]:X2} {magic[1]:X2}, expected 00 00)");
        }

        if (magic[2] != UnsignedByteType)
        {
            throw new InvalidInputException($"{path}: unsupported IDX element type 0x{magic[2]:X2} (only 0x08, unsigned byte, is supported)");
        }

        int rank = magic[3];
        if (rank is < 1 or > MaxDimensions)
        {
            throw new InvalidInputException($"{path}: IDX dimension count {rank} is out of range (expected 1 to {MaxDimensions})");
        }

        // 2. Dimensions: big-endian uint32 each, all positive, product small enough for one array.
        var dims = new byte[4 * rank];
        got = content.ReadAtLeast(dims, dims.Length, throwOnEndOfStream: false);
        if (got < dims.Length)
        {
            throw new InvalidInputException($"{path}: truncated IDX header (found {got} of {dims.Length} dimension bytes)");
        }

        var shape = new int[rank];
        long length = 1;
        for (int i = 0; i < rank; i++)
        {
            uint d = BinaryPrimitives.ReadUInt32BigEndian(dims.AsSpan(4 * i));
            if (d == 0 || d > int.MaxValue)
            {
                throw new InvalidInputException($"{path}: IDX dimension {i} is {d} (every dimension must be between 1 and {int.MaxValue})");
            }

            shape[i] = (int)d;
            length *= d;
            if (length > Array.MaxLength)
            {
                throw new InvalidInputException($"{path}: IDX shape is too large for one array (more than {Array.MaxLength} bytes)");
            }
        }

        // 3. Data: exactly the product of the dimensions, nothing more.
        var data = new byte[length];
        got = content.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (got < data.Length)
        {
            throw new InvalidInputException($"{path}: truncated IDX file: shape {FormatShape(shape)} needs {data.Length} data bytes, found {got}");
        }

        long trailing = CountRemaining(content);
        if (trailing > 0)
        {
            throw new InvalidInputException($"{path}: {trailing} unexpected trailing bytes after the {data.Length} data bytes of shape {FormatShape(shape)}");
        }

        return new IdxArray(shape, data);
    }

    private static long CountRemaining(Stream content)
    {
        var buffer = new byte[1 << 14];
        long total = 0;
        int read;
        while ((read = content.Read(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
