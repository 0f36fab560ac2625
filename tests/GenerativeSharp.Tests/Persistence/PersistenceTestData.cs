using System.Buffers.Binary;
using System.Text;
using TorchSharp;

namespace GenerativeSharp.Tests.Persistence;

/// <summary>Seeded tensors, raw-byte helpers, hand-built files and a temporary directory for the persistence tests.</summary>
internal static class PersistenceTestData
{
    /// <summary>One tensor of each dtype and shape the round-trip tests cover (scalar, empty, [3,4,5], ...).</summary>
    public static Dictionary<string, torch.Tensor> MixedTensors(int seed)
    {
        var g = new torch.Generator((ulong)seed);
        return new Dictionary<string, torch.Tensor>
        {
            ["f32.block"] = torch.randn([3, 4, 5], generator: g),
            ["f32.scalar"] = torch.randn(Array.Empty<long>(), generator: g),
            ["f32.empty"] = torch.empty([0, 3], torch.float32),
            ["f64.vector"] = torch.randn([7], torch.float64, generator: g),
            ["i64.ids"] = torch.randint(-1_000_000, 1_000_000, [2, 3], torch.int64, generator: g),
            ["u8.pixels"] = torch.randint(0, 256, [4, 4], torch.uint8, generator: g),
            ["bool.mask"] = torch.randint(0, 2, [5], torch.int64, generator: g).to(torch.@bool),
            ["i32.odd"] = torch.randint(-5, 5, [3], torch.int32, generator: g),
            ["f16.half"] = torch.randn([3], generator: g).to(torch.float16),
            ["bf16.brain"] = torch.randn([2], generator: g).to(torch.bfloat16),
            ["i8.small"] = torch.randint(-128, 128, [3], torch.int8, generator: g),
            ["i16.short"] = torch.randint(-30000, 30000, [3], torch.int16, generator: g),
        };
    }

    /// <summary>The tensor's raw bytes in row-major order.</summary>
    public static byte[] RawBytes(torch.Tensor tensor)
    {
        using var contiguous = tensor.contiguous();
        return contiguous.NumberOfElements == 0 ? [] : contiguous.bytes.ToArray();
    }

    /// <summary>Asserts both maps hold the same names, dtypes, shapes and bytes.</summary>
    public static void AssertSameTensors(IReadOnlyDictionary<string, torch.Tensor> expected, IReadOnlyDictionary<string, torch.Tensor> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, tensor) in expected)
        {
            Assert.Equal(tensor.dtype, actual[name].dtype);
            Assert.Equal(tensor.shape, actual[name].shape);
            Assert.Equal(RawBytes(tensor), RawBytes(actual[name]));
        }
    }

    public static byte[] WriteToBytes(IReadOnlyDictionary<string, torch.Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        using var stream = new MemoryStream();
        GenerativeSharp.Persistence.SafeTensorsFile.Write(stream, tensors, metadata);
        return stream.ToArray();
    }

    /// <summary>A file made by hand: length, the given header text, the given data.</summary>
    public static byte[] HandMade(string header, byte[] data)
    {
        var headerBytes = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + headerBytes.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)headerBytes.Length);
        headerBytes.CopyTo(file, 8);
        data.CopyTo(file, 8 + headerBytes.Length);
        return file;
    }

    public static void DisposeAll(IEnumerable<torch.Tensor> tensors)
    {
        foreach (var tensor in tensors)
        {
            tensor.Dispose();
        }
    }
}
