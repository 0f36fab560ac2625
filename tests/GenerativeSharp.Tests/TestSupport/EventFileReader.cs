using System.Buffers.Binary;
using GenerativeSharp.Training.Logging;

namespace GenerativeSharp.Tests;

/// <summary>One decoded TensorBoard event: wall time, step, and a file version or summary values.</summary>
internal sealed record TbEvent(double WallTime, long Step, string? FileVersion, IReadOnlyList<TbValue> Values);

/// <summary>One summary value: a scalar or an image under a tag.</summary>
internal sealed record TbValue(string Tag, float? Scalar, TbImage? Image);

/// <summary>An image summary: size, TensorBoard colour space, the encoded bytes.</summary>
internal sealed record TbImage(int Height, int Width, int Colorspace, byte[] Encoded);

/// <summary>
/// Reads TensorBoard event files independently of the writer: TFRecord framing with both masked
/// CRCs checked (a mismatch fails), and the Event / Summary protobufs decoded field by field.
/// </summary>
internal static class EventFileReader
{
    /// <summary>The events of every event file under RUN/tensorboard, files in name order (as TensorBoard reads them).</summary>
    public static List<TbEvent> ReadRun(string runDirectory) =>
        Directory.GetFiles(Path.Combine(runDirectory, TensorBoardLog.FolderName), "*tfevents*").Order(StringComparer.Ordinal)
            .SelectMany(Read).ToList();

    public static List<TbEvent> Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var events = new List<TbEvent>();
        int offset = 0;
        while (offset < bytes.Length)
        {
            Assert.True(bytes.Length - offset >= 16, $"{path}: torn record at {offset}");
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(offset));
            Assert.Equal(Mask(Crc32C.Compute(bytes.AsSpan(offset, 8))), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 8)));
            byte[] data = bytes.AsSpan(offset + 12, checked((int)length)).ToArray();
            Assert.Equal(Mask(Crc32C.Compute(data)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 12 + (int)length)));
            TbEvent decoded = DecodeEvent(data);
            CrossCheck(decoded, Tensorboard.Event.Parser.ParseFrom(data));
            events.Add(decoded);
            offset += 16 + (int)length;
        }
        return events;
    }

    /// <summary>
    /// The same record decoded by the protobuf classes that TorchSharp generates from TensorBoard's own
    /// event.proto and summary.proto: our hand decoding must agree with the official field numbers.
    /// </summary>
    private static void CrossCheck(TbEvent ours, Tensorboard.Event official)
    {
        Assert.Equal(official.WallTime, ours.WallTime);
        Assert.Equal(official.Step, ours.Step);
        Assert.Equal(official.FileVersion is "" ? null : official.FileVersion, ours.FileVersion);
        var values = official.Summary?.Value.ToList() ?? [];
        Assert.Equal(values.Count, ours.Values.Count);
        foreach (var (theirs, mine) in values.Zip(ours.Values))
        {
            Assert.Equal(theirs.Tag, mine.Tag);
            if (mine.Scalar is float scalar) Assert.Equal(BitConverter.SingleToInt32Bits(theirs.SimpleValue), BitConverter.SingleToInt32Bits(scalar));
            if (mine.Image is TbImage image)
            {
                Assert.Equal((theirs.Image.Height, theirs.Image.Width, theirs.Image.Colorspace), (image.Height, image.Width, image.Colorspace));
                Assert.Equal(theirs.Image.EncodedImageString.ToByteArray(), image.Encoded);
            }
        }
    }

    /// <summary>TFRecord's mask, written out here rather than taken from the writer.</summary>
    public static uint Mask(uint crc) => unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8);

    private static TbEvent DecodeEvent(byte[] data)
    {
        double wallTime = 0;
        long step = 0;
        string? version = null;
        var values = new List<TbValue>();
        foreach (var (field, number, bytes) in Fields(data))
        {
            switch (field)
            {
                case 1: wallTime = BitConverter.Int64BitsToDouble((long)number); break;
                case 2: step = (long)number; break;
                case 3: version = System.Text.Encoding.UTF8.GetString(bytes!); break;
                case 5:
                    foreach (var (summaryField, _, value) in Fields(bytes!))
                        if (summaryField == 1) values.Add(DecodeValue(value!));
                    break;
                default: throw new InvalidDataException($"unexpected Event field {field}");
            }
        }
        return new TbEvent(wallTime, step, version, values);
    }

    private static TbValue DecodeValue(byte[] data)
    {
        string tag = "";
        float? scalar = null;
        TbImage? image = null;
        foreach (var (field, number, bytes) in Fields(data))
        {
            if (field == 1) tag = System.Text.Encoding.UTF8.GetString(bytes!);
            else if (field == 2) scalar = BitConverter.Int32BitsToSingle((int)number);
            else if (field == 4)
            {
                int height = 0, width = 0, colorspace = 0;
                byte[] encoded = [];
                foreach (var (imageField, imageNumber, imageBytes) in Fields(bytes!))
                {
                    if (imageField == 1) height = (int)imageNumber;
                    else if (imageField == 2) width = (int)imageNumber;
                    else if (imageField == 3) colorspace = (int)imageNumber;
                    else if (imageField == 4) encoded = imageBytes!;
                }
                image = new TbImage(height, width, colorspace, encoded);
            }
            else throw new InvalidDataException($"unexpected Summary.Value field {field}");
        }
        return new TbValue(tag, scalar, image);
    }

    /// <summary>A message's fields: number, the value of a varint / fixed field, the bytes of a length-delimited one.</summary>
    private static IEnumerable<(int Field, ulong Number, byte[]? Bytes)> Fields(byte[] data)
    {
        int i = 0;
        while (i < data.Length)
        {
            ulong key = Varint(data, ref i);
            int field = (int)(key >> 3);
            switch ((int)(key & 7))
            {
                case 0: yield return (field, Varint(data, ref i), null); break;
                case 1: yield return (field, BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(i)), null); i += 8; break;
                case 5: yield return (field, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(i)), null); i += 4; break;
                case 2:
                    int length = checked((int)Varint(data, ref i));
                    yield return (field, 0, data.AsSpan(i, length).ToArray());
                    i += length;
                    break;
                default: throw new InvalidDataException($"wire type {key & 7}");
            }
        }
        if (i != data.Length) throw new InvalidDataException("a field runs past the message");
    }

    private static ulong Varint(byte[] data, ref int i)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = data[i++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
    }
}
