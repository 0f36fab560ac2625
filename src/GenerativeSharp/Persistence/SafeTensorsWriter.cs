using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using TorchSharp;

namespace GenerativeSharp.Persistence;

/// <summary>
/// Tensors made ready for writing: CPU contiguous copies (owned by the caller's dispose scope) and their byte ranges.
/// The data buffer holds tensors by element size, largest first, then by ordinal name, so every tensor starts at a
/// multiple of its element size (as the reference writer does); the header lists them in ordinal name order.
/// </summary>
internal sealed class SafeTensorsWriter
{
    private const int ChunkBytes = 1 << 24;

    private readonly List<(SafeTensorsEntry Entry, torch.Tensor Data)> _byOffset;

    private SafeTensorsWriter(List<(SafeTensorsEntry Entry, torch.Tensor Data)> byOffset)
    {
        _byOffset = byOffset;
    }

    /// <summary>Checks names and dtypes and copies each tensor to CPU contiguous memory. Run inside a dispose scope.</summary>
    public static SafeTensorsWriter Prepare(IReadOnlyDictionary<string, torch.Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var pending = new List<(string Name, string DType, int Size, torch.Tensor Data)>();
        foreach (var (name, tensor) in tensors)
        {
            ArgumentNullException.ThrowIfNull(tensor, $"tensors[\"{name}\"]");
            if (name == "__metadata__")
            {
                throw new ArgumentException("\"__metadata__\" is reserved by safetensors and cannot name a tensor", nameof(tensors));
            }
            if (!SafeTensorsDTypes.TryFromScalarType(tensor.dtype, out var dtype, out var size))
            {
                throw new ArgumentException($"tensor \"{name}\" has dtype {tensor.dtype}, which safetensors cannot hold; " +
                    $"expected one of {SafeTensorsDTypes.KnownNames}", nameof(tensors));
            }
            pending.Add((name, dtype, size, tensor.detach().cpu().contiguous()));
        }
        pending.Sort((a, b) => a.Size != b.Size ? b.Size.CompareTo(a.Size) : string.CompareOrdinal(a.Name, b.Name));

        var byOffset = new List<(SafeTensorsEntry, torch.Tensor)>(pending.Count);
        long offset = 0;
        foreach (var (name, dtype, size, data) in pending)
        {
            var length = data.NumberOfElements * size;
            var entry = new SafeTensorsEntry(name, dtype, data.dtype, size, data.shape, offset, offset + length);
            byOffset.Add((entry, data));
            offset += length;
        }
        return new SafeTensorsWriter(byOffset);
    }

    /// <summary>Writes length, padded header and data buffer to <paramref name="stream"/>; leaves it open.</summary>
    public void Write(Stream stream, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        Write(stream, BuildHeader(metadata));
    }

    /// <summary>Writes length, the given header bytes (from <see cref="BuildHeader"/>) and the data buffer.</summary>
    public void Write(Stream stream, byte[] header)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(LengthField(header));
        stream.Write(header);
        ForEachChunk(chunk => stream.Write(chunk));
    }

    /// <summary>SHA-256 of the whole file this writer would write with <paramref name="header"/>: length field, header, data.</summary>
    public byte[] FileSha256(byte[] header)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(LengthField(header));
        hash.AppendData(header);
        ForEachChunk(chunk => hash.AppendData(chunk));
        return hash.GetHashAndReset();
    }

    private static byte[] LengthField(byte[] header)
    {
        var length = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        return length;
    }

    /// <summary>The UTF-8 JSON header, padded with spaces to a multiple of 8 bytes so the data buffer is 8-byte aligned.</summary>
    public byte[] BuildHeader(IReadOnlyDictionary<string, string> metadata)
    {
        using var buffer = new MemoryStream();
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var json = new Utf8JsonWriter(buffer, options))
        {
            json.WriteStartObject();
            if (metadata.Count > 0)
            {
                json.WriteStartObject("__metadata__");
                foreach (var key in metadata.Keys.Order(StringComparer.Ordinal))
                {
                    json.WriteString(key, metadata[key] ?? throw new ArgumentNullException(nameof(metadata), $"metadata[\"{key}\"] is null"));
                }
                json.WriteEndObject();
            }
            foreach (var (entry, _) in _byOffset.OrderBy(t => t.Entry.Name, StringComparer.Ordinal))
            {
                json.WriteStartObject(entry.Name);
                json.WriteString("dtype", entry.DType);
                json.WriteStartArray("shape");
                foreach (var dim in entry.Shape)
                {
                    json.WriteNumberValue(dim);
                }
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(entry.Begin);
                json.WriteNumberValue(entry.End);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        var padding = (int)((8 - buffer.Length % 8) % 8);
        for (var i = 0; i < padding; i++)
        {
            buffer.WriteByte((byte)' ');
        }
        return buffer.ToArray();
    }

    /// <summary>Visits the data buffer in order, in chunks small enough for a span.</summary>
    private void ForEachChunk(Action<ReadOnlySpan<byte>> visit)
    {
        foreach (var (entry, data) in _byOffset)
        {
            if (entry.ByteLength == 0)
            {
                continue;
            }
            if (entry.ByteLength <= ChunkBytes)
            {
                visit(data.bytes);
                continue;
            }
            using var flat = data.reshape(-1);
            long perChunk = ChunkBytes / entry.ElementSize;
            for (long start = 0; start < flat.NumberOfElements; start += perChunk)
            {
                using var slice = flat.narrow(0, start, Math.Min(perChunk, flat.NumberOfElements - start));
                visit(slice.bytes);
            }
        }
    }
}
