namespace GenerativeSharp.Training.Logging;

/// <summary>
/// The few protocol-buffer encodings a TensorBoard event needs, written by hand (no protobuf
/// dependency): each method appends one field, its key (field number and wire type) first.
/// </summary>
internal sealed class ProtoWriter
{
    private const int Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5;

    private readonly MemoryStream buffer = new();

    /// <summary>The encoded message so far.</summary>
    public byte[] ToArray() => buffer.ToArray();

    /// <summary>An int32 / int64 field (varint; a negative number takes ten bytes, as protobuf says).</summary>
    public ProtoWriter Int64(int field, long value)
    {
        Key(field, Varint);
        WriteVarint(unchecked((ulong)value));
        return this;
    }

    /// <summary>A double field (little-endian fixed64).</summary>
    public ProtoWriter Double(int field, double value)
    {
        Key(field, Fixed64);
        Span<byte> bytes = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        buffer.Write(bytes);
        return this;
    }

    /// <summary>A float field (little-endian fixed32).</summary>
    public ProtoWriter Float(int field, float value)
    {
        Key(field, Fixed32);
        Span<byte> bytes = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        buffer.Write(bytes);
        return this;
    }

    /// <summary>A string field, UTF-8.</summary>
    public ProtoWriter String(int field, string value) => Bytes(field, System.Text.Encoding.UTF8.GetBytes(value));

    /// <summary>A bytes field, or an embedded message given as its encoding.</summary>
    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Key(field, LengthDelimited);
        WriteVarint((ulong)value.Length);
        buffer.Write(value);
        return this;
    }

    private void Key(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        buffer.WriteByte((byte)value);
    }
}
