using TorchSharp;

namespace GenerativeSharp.Persistence;

/// <summary>
/// One safetensors file (Hugging Face): an 8-byte little-endian header length, a UTF-8 JSON header naming each
/// tensor's dtype, shape and byte range, then the raw little-endian, row-major data. Python's safetensors reads
/// what we write; we read any file of the dtypes F64, F32, F16, BF16, I64, I32, I16, I8, U8 and BOOL.
/// Empty tensors (a zero in the shape) are supported and take no bytes of the data buffer.
/// </summary>
public static class SafeTensorsFile
{
    /// <summary>
    /// Writes <paramref name="tensors"/> and <paramref name="metadata"/> to <paramref name="stream"/>, which stays open.
    /// The same input always gives the same bytes: header keys in ordinal order, data laid out by element size
    /// (largest first) then ordinal name so each tensor is aligned, header padded with spaces to 8 bytes.
    /// Tensors may live on any device and need not be contiguous; the inputs are left untouched.
    /// </summary>
    /// <exception cref="ArgumentException">A tensor is named "__metadata__" or has a dtype safetensors cannot hold.</exception>
    public static void Write(Stream stream, IReadOnlyDictionary<string, torch.Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(metadata);
        RequireLittleEndian();
        using var scope = torch.NewDisposeScope();
        SafeTensorsWriter.Prepare(tensors).Write(stream, metadata);
    }

    /// <summary>
    /// Parses and validates the whole file (header length against file length, JSON, dtypes, shapes, offsets that
    /// tile the data buffer exactly, BOOL bytes of 0 or 1), then copies every tensor to the CPU.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not valid safetensors; the message names the first fault.</exception>
    public static SafeTensorsContent Read(ReadOnlySpan<byte> file)
    {
        RequireLittleEndian();
        return Materialize(file, SafeTensorsParser.Parse(file));
    }

    /// <summary>Builds the tensors of an already parsed <paramref name="layout"/> of <paramref name="file"/>.</summary>
    internal static SafeTensorsContent Materialize(ReadOnlySpan<byte> file, SafeTensorsLayout layout)
    {
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var entry in layout.Entries)
            {
                var source = file.Slice(checked((int)(layout.DataStart + entry.Begin)), checked((int)entry.ByteLength));
                if (entry.Type == torch.ScalarType.Bool && source.IndexOfAnyExcept((byte)0, (byte)1) is var bad and >= 0)
                {
                    throw new InvalidDataException(
                        $"BOOL tensor {SafeTensorsParser.Quote(entry.Name)} holds byte {source[bad]} at element {bad}, not 0 or 1");
                }
                var tensor = torch.empty(entry.Shape, entry.Type).DetachFromDisposeScope();
                tensors.Add(entry.Name, tensor);
                if (source.Length > 0)
                {
                    source.CopyTo(tensor.bytes);
                }
            }
        }
        catch
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }
            throw;
        }
        return new SafeTensorsContent(tensors, layout.Metadata);
    }

    private static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors files are little-endian; this machine is big-endian");
        }
    }
}
