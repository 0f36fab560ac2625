using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace GenerativeSharp.Persistence;

/// <summary>
/// Parses a safetensors file into a <see cref="SafeTensorsLayout"/>, checking everything the header claims
/// against the file before any tensor exists. Every fault is an <see cref="InvalidDataException"/> whose
/// one-line message names the first problem found.
/// </summary>
internal static class SafeTensorsParser
{
    /// <summary>The largest header we accept (the reference implementation's limit).</summary>
    public const long MaxHeaderLength = 100L << 20;

    private const string MetadataKey = "__metadata__";

    public static SafeTensorsLayout Parse(ReadOnlySpan<byte> file)
    {
        if (file.Length < 8)
        {
            throw Fault($"file is {file.Length} bytes, shorter than the 8-byte header length");
        }
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        long available = file.Length - 8;
        if (headerLength == 0)
        {
            throw Fault("header length is 0");
        }
        if (headerLength > MaxHeaderLength)
        {
            throw Fault($"header length {headerLength} exceeds the {MaxHeaderLength}-byte limit");
        }
        if (headerLength > (ulong)available)
        {
            throw Fault($"header length {headerLength} exceeds the {available} bytes after the length field (truncated?)");
        }
        var header = file.Slice(8, (int)headerLength);
        if (header[0] != (byte)'{')
        {
            throw Fault("header does not start with '{'");
        }
        if (!System.Text.Unicode.Utf8.IsValid(header))
        {
            throw Fault("header is not valid UTF-8");
        }
        long dataStart = 8 + (long)headerLength;
        long dataLength = file.Length - dataStart;

        using var document = ParseJson(header);
        var (entries, metadata) = ReadHeader(document.RootElement);
        CheckCoverage(entries, dataLength);
        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new SafeTensorsLayout(entries, metadata, dataStart, dataLength);
    }

    /// <summary>A name from the file, quoted, shortened and made printable (see <see cref="Printable"/>).</summary>
    internal static string Quote(string name) => $"'{Printable(name)}'";

    /// <summary>Text from the file with control characters escaped and cut at 80 characters, so messages stay one line.</summary>
    internal static string Printable(string text)
    {
        var shown = text.Length > 80 ? text[..80] + "..." : text;
        var builder = new StringBuilder();
        foreach (var c in shown)
        {
            builder.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }
        return builder.ToString();
    }

    private static JsonDocument ParseJson(ReadOnlySpan<byte> header)
    {
        try
        {
            return JsonDocument.Parse(header.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            throw Fault($"header is not valid JSON: {OneLine(ex.Message)}");
        }
    }

    private static (List<SafeTensorsEntry> Entries, Dictionary<string, string> Metadata) ReadHeader(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Fault($"header is a JSON {root.ValueKind}, not an object");
        }
        var entries = new List<SafeTensorsEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw Fault($"header names {Quote(property.Name)} twice");
            }
            if (property.Name == MetadataKey)
            {
                ReadMetadata(property.Value, metadata);
            }
            else
            {
                entries.Add(ReadEntry(property.Name, property.Value));
            }
        }
        return (entries, metadata);
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Fault($"__metadata__ is a JSON {value.ValueKind}, not an object");
        }
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw Fault($"__metadata__ value of {Quote(item.Name)} is a JSON {item.Value.ValueKind}, not a string");
            }
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
            {
                throw Fault($"__metadata__ names {Quote(item.Name)} twice");
            }
        }
    }

    private static SafeTensorsEntry ReadEntry(string name, JsonElement value)
    {
        var tensor = $"tensor {Quote(name)}";
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Fault($"{tensor} is a JSON {value.ValueKind}, not an object");
        }
        JsonElement? dtypeElement = null, shapeElement = null, offsetsElement = null;
        foreach (var field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when dtypeElement is null: dtypeElement = field.Value; break;
                case "shape" when shapeElement is null: shapeElement = field.Value; break;
                case "data_offsets" when offsetsElement is null: offsetsElement = field.Value; break;
                case "dtype" or "shape" or "data_offsets": throw Fault($"{tensor} names {field.Name} twice");
                default: throw Fault($"{tensor} has an unknown field {Quote(field.Name)}");
            }
        }
        if (dtypeElement is not { ValueKind: JsonValueKind.String } dtype)
        {
            throw Fault($"{tensor} has no dtype string");
        }
        var dtypeName = dtype.GetString()!;
        if (!SafeTensorsDTypes.TryFromName(dtypeName, out var type, out var elementSize))
        {
            throw Fault($"{tensor} has dtype {Quote(dtypeName)}, not one of {SafeTensorsDTypes.KnownNames}");
        }
        var shape = ReadIntegers(tensor, "shape", shapeElement, expectedCount: null);
        var offsets = ReadIntegers(tensor, "data_offsets", offsetsElement, expectedCount: 2);
        if (offsets[0] > offsets[1])
        {
            throw Fault($"{tensor} has data_offsets [{offsets[0]}, {offsets[1]}] that end before they begin");
        }
        long bytes = elementSize;
        foreach (var dim in shape)
        {
            try
            {
                bytes = checked(bytes * dim);
            }
            catch (OverflowException)
            {
                throw Fault($"{tensor} has shape [{string.Join(", ", shape)}] too large to address");
            }
        }
        if (bytes != offsets[1] - offsets[0])
        {
            throw Fault($"{tensor} has shape [{string.Join(", ", shape)}] of {dtypeName}, which needs {bytes} bytes, " +
                $"but data_offsets [{offsets[0]}, {offsets[1]}] hold {offsets[1] - offsets[0]}");
        }
        return new SafeTensorsEntry(name, dtypeName, type, elementSize, shape, offsets[0], offsets[1]);
    }

    private static long[] ReadIntegers(string tensor, string field, JsonElement? element, int? expectedCount)
    {
        if (element is not { ValueKind: JsonValueKind.Array } array)
        {
            throw Fault($"{tensor} has no {field} array");
        }
        var values = new long[array.GetArrayLength()];
        if (expectedCount is { } count && values.Length != count)
        {
            throw Fault($"{tensor} has {values.Length} {field}, expected {count}");
        }
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var v) || v < 0)
            {
                throw Fault($"{tensor} has {field} entry {OneLine(item.GetRawText())}, not a non-negative 64-bit integer");
            }
            values[i++] = v;
        }
        return values;
    }

    /// <summary>Every byte of the data buffer belongs to exactly one tensor: no range outside it, no overlap, no gap.</summary>
    private static void CheckCoverage(List<SafeTensorsEntry> entries, long dataLength)
    {
        foreach (var entry in entries)
        {
            if (entry.End > dataLength)
            {
                throw Fault($"tensor {Quote(entry.Name)} has data_offsets [{entry.Begin}, {entry.End}] beyond the " +
                    $"{dataLength}-byte data buffer (truncated?)");
            }
        }
        var ordered = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList();
        long cursor = 0;
        SafeTensorsEntry? previous = null;
        foreach (var entry in ordered)
        {
            if (entry.Begin < cursor)
            {
                throw Fault($"tensor {Quote(entry.Name)} at [{entry.Begin}, {entry.End}] overlaps tensor " +
                    $"{Quote(previous!.Name)} at [{previous.Begin}, {previous.End}]");
            }
            if (entry.Begin > cursor)
            {
                throw Fault($"bytes [{cursor}, {entry.Begin}) of the data buffer belong to no tensor");
            }
            cursor = entry.End;
            previous = entry;
        }
        if (cursor != dataLength)
        {
            throw Fault($"data buffer is {dataLength} bytes but its tensors cover only {cursor}");
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static InvalidDataException Fault(string reason) => new(reason);
}
