namespace GenerativeSharp.Training.Logging;

/// <summary>
/// The protocol-buffer encoding of TensorBoard's <c>Event</c> messages (tensorflow/core/util/event.proto):
/// wall_time (double, field 1), step (int64, field 2), file_version (string, field 3) or summary
/// (field 5). A <c>Summary</c> holds repeated <c>Value</c>s (field 1), each a tag (field 1) with a
/// simple_value (float, field 2) or an image (field 4: height 1, width 2, colorspace 3, encoded_image_string 4).
/// </summary>
public static class TensorBoardEvents
{
    /// <summary>The file_version of the first event of every file; version 2 tells TensorBoard the steps are trustworthy.</summary>
    public const string FileVersion = "brain.Event:2";

    /// <summary>The first event of a file: its version.</summary>
    public static byte[] Version(double wallTime) =>
        new ProtoWriter().Double(1, wallTime).Int64(2, 0).String(3, FileVersion).ToArray();

    /// <summary>One event holding a scalar per tag, all at <paramref name="step"/>.</summary>
    public static byte[] Scalars(double wallTime, long step, IEnumerable<KeyValuePair<string, float>> values)
    {
        var summary = new ProtoWriter();
        foreach (var (tag, value) in values)
            summary.Bytes(1, new ProtoWriter().String(1, tag).Float(2, value).ToArray());
        return Summary(wallTime, step, summary);
    }

    /// <summary>One event holding the PNG <paramref name="png"/> as an image under <paramref name="tag"/>.</summary>
    public static byte[] Image(double wallTime, long step, string tag, byte[] png)
    {
        PngHeader header = PngHeader.Read(png);
        byte[] image = new ProtoWriter().Int64(1, header.Height).Int64(2, header.Width).Int64(3, header.Colorspace).Bytes(4, png).ToArray();
        var summary = new ProtoWriter().Bytes(1, new ProtoWriter().String(1, tag).Bytes(4, image).ToArray());
        return Summary(wallTime, step, summary);
    }

    /// <summary>Seconds since the Unix epoch, as TensorBoard's wall_time has them.</summary>
    public static double Now() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;

    /// <summary>The step (field 2) of an encoded event, 0 when it has none; null when the bytes are not a well-formed message.</summary>
    public static long? StepOf(ReadOnlySpan<byte> message)
    {
        long step = 0;
        int i = 0;
        while (i < message.Length)
        {
            if (ReadVarint(message, ref i) is not ulong key) return null;
            int field = (int)(key >> 3);
            switch ((int)(key & 7))
            {
                case 0:
                    if (ReadVarint(message, ref i) is not ulong value) return null;
                    if (field == 2) step = unchecked((long)value);
                    break;
                case 1: i += 8; break;
                case 5: i += 4; break;
                case 2:
                    if (ReadVarint(message, ref i) is not ulong length || length > (ulong)(message.Length - i)) return null;
                    i += (int)length;
                    break;
                default: return null;
            }
        }
        return i == message.Length ? step : null;
    }

    private static byte[] Summary(double wallTime, long step, ProtoWriter summary) =>
        new ProtoWriter().Double(1, wallTime).Int64(2, step).Bytes(5, summary.ToArray()).ToArray();

    private static ulong? ReadVarint(ReadOnlySpan<byte> bytes, ref int i)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64 && i < bytes.Length; shift += 7)
        {
            byte b = bytes[i++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        return null;
    }
}
