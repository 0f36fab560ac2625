using System.Buffers.Binary;
using System.Numerics;

namespace GenerativeSharp.Training.Logging;

/// <summary>
/// CRC-32C (Castagnoli polynomial 0x1EDC6F41, reflected; the checksum of iSCSI and of TFRecord
/// framing) through <see cref="BitOperations.Crc32C(uint, ulong)"/>, which uses the CPU's
/// instruction where there is one and a table otherwise. CRC32C("123456789") = 0xE3069283.
/// </summary>
public static class Crc32C
{
    /// <summary>The constant TFRecord adds to a rotated CRC (<see cref="Masked"/>).</summary>
    public const uint MaskDelta = 0xa282ead8;

    /// <summary>The CRC-32C of <paramref name="data"/> (initial value and final XOR 0xFFFFFFFF).</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = uint.MaxValue;
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        for (; i < data.Length; i++)
            crc = BitOperations.Crc32C(crc, data[i]);
        return ~crc;
    }

    /// <summary>
    /// The masked CRC that TFRecord stores, ((crc &gt;&gt; 15) | (crc &lt;&lt; 17)) + 0xa282ead8, so that
    /// a CRC of data that holds CRCs stays well mixed.
    /// </summary>
    public static uint Masked(ReadOnlySpan<byte> data)
    {
        uint crc = Compute(data);
        return unchecked(((crc >> 15) | (crc << 17)) + MaskDelta);
    }
}
