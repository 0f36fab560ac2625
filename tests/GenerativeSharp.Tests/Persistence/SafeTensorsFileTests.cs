using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using GenerativeSharp.Persistence;
using TorchSharp;
using static GenerativeSharp.Tests.Persistence.PersistenceTestData;

namespace GenerativeSharp.Tests.Persistence;

public sealed class SafeTensorsFileTests
{
    private static readonly Dictionary<string, string> NoMetadata = new();

    [Fact]
    public void RoundTrip_EveryDTypeAndShape_IsBitwiseExact()
    {
        var tensors = MixedTensors(seed: 1);
        var file = WriteToBytes(tensors, NoMetadata);

        using var content = SafeTensorsFile.Read(file);

        AssertSameTensors(tensors, content.Tensors);
        Assert.Equal(DeviceType.CPU, content.Tensors["f32.block"].device_type);
        Assert.Equal(Array.Empty<long>(), content.Tensors["f32.scalar"].shape);
        Assert.Equal(new long[] { 0, 3 }, content.Tensors["f32.empty"].shape);
        DisposeAll(tensors.Values);
    }

    [Fact]
    public void RoundTrip_NonContiguousInput_KeepsLogicalValues()
    {
        var g = new torch.Generator(2);
        using var source = torch.randn([3, 5], generator: g);
        using var transposed = source.t();
        Assert.False(transposed.is_contiguous());

        var file = WriteToBytes(new Dictionary<string, torch.Tensor> { ["t"] = transposed }, NoMetadata);
        using var content = SafeTensorsFile.Read(file);

        Assert.Equal(new long[] { 5, 3 }, content.Tensors["t"].shape);
        Assert.Equal(RawBytes(transposed), RawBytes(content.Tensors["t"]));
        Assert.True(source.is_contiguous());
    }

    [Fact]
    public void RoundTrip_Metadata_KeepsUnicodeAndSpecialCharacters()
    {
        var metadata = new Dictionary<string, string>
        {
            ["model"] = "vae",
            ["options"] = "{\"latent\": 16, \"quote\": \"\\\"\"}",
            ["ünïcødé ✓"] = "日本語 🎲 line1\nline2\ttab",
            ["empty"] = "",
        };
        using var x = torch.ones(2);

        using var content = SafeTensorsFile.Read(WriteToBytes(new Dictionary<string, torch.Tensor> { ["x"] = x }, metadata));

        Assert.Equal(metadata.OrderBy(p => p.Key, StringComparer.Ordinal), content.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Write_SameInputTwice_GivesIdenticalBytes()
    {
        var tensors = MixedTensors(seed: 3);
        var metadata = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" };
        var reordered = tensors.Reverse().ToDictionary(p => p.Key, p => p.Value);

        Assert.Equal(WriteToBytes(tensors, metadata), WriteToBytes(tensors, metadata));
        Assert.Equal(WriteToBytes(tensors, metadata), WriteToBytes(reordered, metadata.Reverse().ToDictionary()));
        DisposeAll(tensors.Values);
    }

    [Fact]
    public void Write_Header_IsAlignedJsonAsTheSpecSays()
    {
        var tensors = MixedTensors(seed: 4);
        var file = WriteToBytes(tensors, new Dictionary<string, string> { ["k"] = "v" });

        var headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.Equal(0, (8 + headerLength) % 8);
        var header = file.AsSpan(8, (int)headerLength);
        Assert.Equal((byte)'{', header[0]);
        using var json = JsonDocument.Parse(header.ToArray());
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal("__metadata__", names[0]);
        Assert.Equal(names.Skip(1).Order(StringComparer.Ordinal), names.Skip(1));
        Assert.Equal("v", json.RootElement.GetProperty("__metadata__").GetProperty("k").GetString());

        var dataLength = file.Length - 8 - headerLength;
        long covered = 0;
        foreach (var (name, tensor) in tensors)
        {
            var entry = json.RootElement.GetProperty(name);
            var begin = entry.GetProperty("data_offsets")[0].GetInt64();
            var end = entry.GetProperty("data_offsets")[1].GetInt64();
            Assert.Equal(tensor.shape, entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
            Assert.Equal(RawBytes(tensor), file.AsSpan((int)(8 + headerLength + begin), (int)(end - begin)).ToArray());
            Assert.Equal(0, begin % tensor.ElementSize);
            covered += end - begin;
        }
        Assert.Equal(dataLength, covered);
        Assert.Equal("F32", json.RootElement.GetProperty("f32.block").GetProperty("dtype").GetString());
        Assert.Equal("BOOL", json.RootElement.GetProperty("bool.mask").GetProperty("dtype").GetString());
        DisposeAll(tensors.Values);
    }

    [Fact]
    public void RoundTrip_NoTensorsNoMetadata_IsValid()
    {
        var file = WriteToBytes(new Dictionary<string, torch.Tensor>(), NoMetadata);

        using var content = SafeTensorsFile.Read(file);

        Assert.Empty(content.Tensors);
        Assert.Empty(content.Metadata);
        Assert.Equal(16, file.Length);
    }

    [Fact]
    public void Write_RejectsReservedNameAndUnsupportedDType()
    {
        using var x = torch.ones(2);
        using var complex = torch.ones(2, torch.complex64);

        Assert.Throws<ArgumentException>(() => WriteToBytes(new Dictionary<string, torch.Tensor> { ["__metadata__"] = x }, NoMetadata));
        var ex = Assert.Throws<ArgumentException>(() => WriteToBytes(new Dictionary<string, torch.Tensor> { ["c"] = complex }, NoMetadata));
        Assert.Contains("ComplexFloat32", ex.Message);
    }

    [Fact]
    public void Write_LeavesStreamOpen()
    {
        using var stream = new MemoryStream();
        using var x = torch.ones(2);

        SafeTensorsFile.Write(stream, new Dictionary<string, torch.Tensor> { ["x"] = x }, NoMetadata);

        Assert.True(stream.CanWrite);
    }

    public static TheoryData<string, byte[], string> MalformedFiles() => new()
    {
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8], "" },
        { "{\"a\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8], "dtype 'C64'" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8], "needs 12 bytes" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[4], "beyond the 4-byte data buffer" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4], "overlaps" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8], "belong to no tensor" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[8], "cover only 4" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8], "twice" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4], "non-negative" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", new byte[4], "end before they begin" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", [], "no data_offsets" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", new byte[4], "unknown field 'x'" },
        { "{\"__metadata__\":{\"k\":1}}", [], "not a string" },
        { "{\"a\": nope}", [], "not valid JSON" },
        { "[]", [], "does not start with '{'" },
        { "{\"a\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[0,2]}}", [1, 7], "byte 7 at element 1" },
        { "{\"a\":{\"dtype\":\"F64\",\"shape\":[4611686018427387904],\"data_offsets\":[0,8]}}", new byte[8], "too large" },
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void Read_MalformedFile_ThrowsInvalidDataWithReason(string header, byte[] data, string reason)
    {
        var file = HandMade(header, data);
        if (reason == "")
        {
            using var content = SafeTensorsFile.Read(file);
            Assert.Equal(2, content.Tensors["a"].NumberOfElements);
            return;
        }

        var ex = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Read(file).Dispose());

        Assert.Contains(reason, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Read_BadHeaderLength_ThrowsInvalidData()
    {
        var tooShort = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Read(new byte[5]));
        Assert.Contains("shorter than the 8-byte header length", tooShort.Message);

        var file = HandMade("{}      ", []);
        BinaryPrimitives.WriteUInt64LittleEndian(file, 1000);
        Assert.Contains("exceeds the 8 bytes", Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Read(file)).Message);

        BinaryPrimitives.WriteUInt64LittleEndian(file, ulong.MaxValue);
        Assert.Contains("limit", Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Read(file)).Message);

        var nameWithNewline = HandMade("{\"a\\nb\":{\"dtype\":\"X\",\"shape\":[],\"data_offsets\":[0,0]}}", []);
        var ex = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Read(nameWithNewline));
        Assert.Contains("'a\\u000ab'", ex.Message);
    }

    [Fact]
    public void Read_UnpaddedHeaderFromOtherWriters_IsAccepted()
    {
        var file = HandMade("{\"a\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[0,3]}}", Encoding.ASCII.GetBytes("xyz"));

        using var content = SafeTensorsFile.Read(file);

        Assert.Equal("xyz"u8.ToArray(), RawBytes(content.Tensors["a"]));
    }
}
