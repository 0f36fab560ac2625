using System.Buffers.Binary;
using System.Text;
using GenerativeSharp.Persistence;
using TorchSharp;
using static GenerativeSharp.Tests.Persistence.PersistenceTestData;

namespace GenerativeSharp.Tests.Persistence;

public sealed class CheckpointFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly Dictionary<string, torch.Tensor> _tensors = MixedTensors(seed: 11);
    private readonly Dictionary<string, string> _metadata = new() { ["model"] = "vae", ["step"] = "20" };

    public void Dispose()
    {
        DisposeAll(_tensors.Values);
        _directory.Dispose();
    }

    [Fact]
    public void SaveThenLoad_RoundTripsTensorsAndMetadata()
    {
        var path = _directory.File("nested/dir/model.safetensors");

        CheckpointFile.Save(path, _tensors, _metadata);
        using var content = CheckpointFile.Load(path);

        AssertSameTensors(_tensors, content.Tensors);
        Assert.Equal("vae", content.Metadata["model"]);
        Assert.Equal("20", content.Metadata["step"]);
        Assert.Equal("2", content.Metadata["gensharp_format"]);
        Assert.Matches("^[0-9a-f]{64}$", content.Metadata["file_sha256"]);
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void Save_IsAPlainSafeTensorsFile()
    {
        var path = _directory.File("model.safetensors");

        CheckpointFile.Save(path, _tensors, _metadata);
        using var content = SafeTensorsFile.Read(File.ReadAllBytes(path));

        AssertSameTensors(_tensors, content.Tensors);
    }

    [Fact]
    public void Load_TruncatedAnywhere_NamesThePathAndFault()
    {
        var path = _directory.File("model.safetensors");
        CheckpointFile.Save(path, _tensors, _metadata);
        var full = File.ReadAllBytes(path);
        var headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(full);

        foreach (var length in new[] { 0, 3, 7, 8, 9, headerEnd / 2, headerEnd - 1, headerEnd, headerEnd + 5, full.Length - 1 })
        {
            File.WriteAllBytes(path, full[..length]);

            var ex = Assert.Throws<InvalidInputException>(() => CheckpointFile.Load(path));

            Assert.StartsWith($"{path} is not a valid checkpoint: ", ex.Message);
            Assert.DoesNotContain('\n', ex.Message);
        }
    }

    [Fact]
    public void Load_OneFlippedBitInData_ReportsChecksumMismatch()
    {
        var path = _directory.File("model.safetensors");
        CheckpointFile.Save(path, _tensors, _metadata);
        var file = File.ReadAllBytes(path);
        var dataStart = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        file[dataStart + (file.Length - dataStart) / 2] ^= 0x10;
        File.WriteAllBytes(path, file);

        var ex = Assert.Throws<InvalidInputException>(() => CheckpointFile.Load(path));

        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(path)} is damaged: checksum mismatch " +
            @"\(expected [0-9a-f]{64}, found [0-9a-f]{64}\)$", ex.Message);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("0")]
    [InlineData("banana")]
    public void Load_OtherFormatVersion_ReportsVersion(string version)
    {
        var path = _directory.File("model.safetensors");
        var metadata = new Dictionary<string, string> { ["gensharp_format"] = version, ["data_sha256"] = "whatever" };
        File.WriteAllBytes(path, WriteToBytes(_tensors, metadata));

        var ex = Assert.Throws<InvalidInputException>(() => CheckpointFile.Load(path));

        Assert.Equal($"{path} was written by checkpoint format {version}; this version of GenerativeSharp reads formats 1 and 2", ex.Message);
    }

    [Fact]
    public void Load_PlainSafeTensorsWithoutFormat_IsNotACheckpoint()
    {
        var path = _directory.File("model.safetensors");
        File.WriteAllBytes(path, WriteToBytes(_tensors, _metadata));

        var ex = Assert.Throws<InvalidInputException>(() => CheckpointFile.Load(path));

        Assert.Equal($"{path} is not a valid checkpoint: its metadata has no gensharp_format", ex.Message);
    }

    [Fact]
    public void Load_MissingFile_SaysNoCheckpoint()
    {
        var path = _directory.File("absent.safetensors");

        var ex = Assert.Throws<InvalidInputException>(() => CheckpointFile.Load(path));

        Assert.Equal($"no checkpoint at {path}", ex.Message);
    }

    [Fact]
    public void Load_LeftoverTemporaryFile_IsNeverPickedUp()
    {
        var path = _directory.File("model.safetensors");
        CheckpointFile.Save(path + ".tmp-0123456789abcdef", _tensors, _metadata);

        Assert.Equal($"no checkpoint at {path}", Assert.Throws<InvalidInputException>(() => CheckpointFile.Load(path)).Message);

        using var x = torch.zeros(3);
        CheckpointFile.Save(path, new Dictionary<string, torch.Tensor> { ["x"] = x }, _metadata);
        using var content = CheckpointFile.Load(path);
        Assert.Equal(["x"], content.Tensors.Keys);
    }

    [Fact]
    public void Save_OverExisting_OldReadableUntilRenameThenNew()
    {
        var path = _directory.File("model.safetensors");
        using var old = torch.zeros(4);
        using var replacement = torch.ones(4);
        CheckpointFile.Save(path, new Dictionary<string, torch.Tensor> { ["w"] = old }, _metadata);
        string? seenTemporary = null;

        CheckpointFile.Save(path, new Dictionary<string, torch.Tensor> { ["w"] = replacement }, _metadata, beforeRename: temporary =>
        {
            seenTemporary = temporary;
            Assert.StartsWith(path + ".tmp-", temporary);
            Assert.Equal(Path.GetDirectoryName(path), Path.GetDirectoryName(temporary));
            using var before = CheckpointFile.Load(path);
            Assert.Equal(RawBytes(old), RawBytes(before.Tensors["w"]));
            using var pending = CheckpointFile.Load(temporary);
            Assert.Equal(RawBytes(replacement), RawBytes(pending.Tensors["w"]));
        });

        Assert.NotNull(seenTemporary);
        Assert.False(File.Exists(seenTemporary));
        using var after = CheckpointFile.Load(path);
        Assert.Equal(RawBytes(replacement), RawBytes(after.Tensors["w"]));
    }

    [Fact]
    public void Save_FailingBeforeRename_KeepsOldFileAndRemovesTemporary()
    {
        var path = _directory.File("model.safetensors");
        using var old = torch.zeros(4);
        using var replacement = torch.ones(4);
        CheckpointFile.Save(path, new Dictionary<string, torch.Tensor> { ["w"] = old }, _metadata);
        var oldBytes = File.ReadAllBytes(path);

        Assert.Throws<IOException>(() => CheckpointFile.Save(path, new Dictionary<string, torch.Tensor> { ["w"] = replacement },
            _metadata, beforeRename: _ => throw new IOException("simulated crash")));

        Assert.Equal(oldBytes, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_directory.Path));
    }

    [Fact]
    public void Save_ReservedMetadataKey_IsRejected()
    {
        var path = _directory.File("model.safetensors");
        var metadata = new Dictionary<string, string> { ["data_sha256"] = "mine" };

        Assert.Throws<ArgumentException>(() => CheckpointFile.Save(path, _tensors, metadata));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Save_SameInput_GivesSameBytes()
    {
        var first = _directory.File("a.safetensors");
        var second = _directory.File("b.safetensors");

        CheckpointFile.Save(first, _tensors, _metadata);
        CheckpointFile.Save(second, _tensors, _metadata);

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        Assert.Contains("\"gensharp_format\":\"2\"", Encoding.UTF8.GetString(File.ReadAllBytes(first)));
    }
}
