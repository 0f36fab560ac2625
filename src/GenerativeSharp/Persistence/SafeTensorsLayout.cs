using static TorchSharp.torch;

namespace GenerativeSharp.Persistence;

/// <summary>One tensor's header entry: its dtype, shape and byte range relative to the data buffer.</summary>
internal sealed record SafeTensorsEntry(string Name, string DType, ScalarType Type, int ElementSize, long[] Shape, long Begin, long End)
{
    /// <summary>Bytes the tensor occupies in the data buffer.</summary>
    public long ByteLength => End - Begin;
}

/// <summary>
/// A parsed and validated safetensors file, before any tensor is built: the entries in ordinal name order,
/// the metadata, and where the data buffer starts.
/// </summary>
internal sealed class SafeTensorsLayout
{
    public SafeTensorsLayout(IReadOnlyList<SafeTensorsEntry> entries, IReadOnlyDictionary<string, string> metadata, long dataStart, long dataLength)
    {
        Entries = entries;
        Metadata = metadata;
        DataStart = dataStart;
        DataLength = dataLength;
    }

    /// <summary>The tensors, in ordinal name order.</summary>
    public IReadOnlyList<SafeTensorsEntry> Entries { get; }

    /// <summary>The "__metadata__" object, empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Offset of the data buffer from the start of the file (8 + header length).</summary>
    public long DataStart { get; }

    /// <summary>Length of the data buffer in bytes.</summary>
    public long DataLength { get; }
}
