using static TorchSharp.torch;

namespace GenerativeSharp.Persistence;

/// <summary>
/// The safetensors dtype names we read and write, and their TorchSharp scalar types and element sizes.
/// Names outside this table (U16, F8_E4M3, ...) are valid safetensors but have no TorchSharp type.
/// </summary>
internal static class SafeTensorsDTypes
{
    private static readonly (string Name, ScalarType Type, int Size)[] Table =
    [
        ("F64", ScalarType.Float64, 8),
        ("F32", ScalarType.Float32, 4),
        ("F16", ScalarType.Float16, 2),
        ("BF16", ScalarType.BFloat16, 2),
        ("I64", ScalarType.Int64, 8),
        ("I32", ScalarType.Int32, 4),
        ("I16", ScalarType.Int16, 2),
        ("I8", ScalarType.Int8, 1),
        ("U8", ScalarType.Byte, 1),
        ("BOOL", ScalarType.Bool, 1),
    ];

    /// <summary>The safetensors name and element size of <paramref name="type"/>, or false where the format has none.</summary>
    public static bool TryFromScalarType(ScalarType type, out string name, out int size)
    {
        foreach (var entry in Table)
        {
            if (entry.Type == type)
            {
                (name, size) = (entry.Name, entry.Size);
                return true;
            }
        }
        (name, size) = ("", 0);
        return false;
    }

    /// <summary>The scalar type and element size of the safetensors dtype <paramref name="name"/> (case-sensitive, as the spec).</summary>
    public static bool TryFromName(string name, out ScalarType type, out int size)
    {
        foreach (var entry in Table)
        {
            if (string.Equals(entry.Name, name, StringComparison.Ordinal))
            {
                (type, size) = (entry.Type, entry.Size);
                return true;
            }
        }
        (type, size) = (default, 0);
        return false;
    }

    /// <summary>All names we know, for error messages.</summary>
    public static string KnownNames => string.Join(", ", Table.Select(e => e.Name));
}
