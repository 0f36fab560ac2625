using System.Buffers.Binary;

namespace GenerativeSharp.Training.Logging;

/// <summary>
/// TFRecord framing, the container of TensorBoard event files: each record is a little-endian
/// uint64 length, the masked CRC-32C of those 8 bytes, the data, and the masked CRC-32C of the data
/// (<see cref="Crc32C.Masked"/>).
/// </summary>
public static class TfRecord
{
    /// <summary>Bytes of framing around a record's data: length, its CRC, and the data's CRC.</summary>
    public const int Overhead = 8 + 4 + 4;

    /// <summary>Appends one record holding <paramref name="data"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Masked(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.Masked(data));
        stream.Write(header);
        stream.Write(data);
        stream.Write(footer);
    }

    /// <summary>
    /// The records of <paramref name="bytes"/> in order, each with the offset just past it; stops
    /// at the first torn or damaged one (a crash in mid-write), so what it yields is all sound.
    /// </summary>
    public static IEnumerable<(byte[] Data, long End)> Read(byte[] bytes)
    {
        long offset = 0;
        while (bytes.Length - offset >= Overhead)
        {
            ReadOnlySpan<byte> header = bytes.AsSpan((int)offset, 12);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[8..]) != Crc32C.Masked(header[..8])) yield break;
            if (length > (ulong)(bytes.Length - offset - Overhead)) yield break;
            byte[] data = bytes.AsSpan((int)offset + 12, (int)length).ToArray();
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)offset + 12 + (int)length, 4)) != Crc32C.Masked(data)) yield break;
            offset += Overhead + (long)length;
            yield return (data, offset);
        }
    }
}
