using System.Buffers.Binary;
using GenerativeSharp.Data;
using GenerativeSharp.Persistence;
using GenerativeSharp.Training;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Training;

/// <summary>
/// Everything a checkpoint loads is checked: every bit of header, metadata and data by the checksum, and,
/// for files whose checksum was recomputed after a change (a hostile or buggy writer), every training-state
/// value, every weight's name, dtype and shape, finiteness, and the RNG state's size.
/// </summary>
public sealed class CheckpointValidationTests
{
    private static TrainingState State => new("synthetic", BinarizationMode.Dynamic, 0, 32, 1e-3, 8, 16, 3);

    private static string SaveSmallRun(TempDirectory directory)
    {
        using var model = TestModels.Vae([1, 12, 12], settings: [("hidden", "8"), ("latent", "2")]);
        var step = model.Recipe.CreateStep(model.Module, 1e-3);
        using var generator = new Generator(3);
        Checkpoint.Save(directory.Path, model, State, step, generator);
        ((IDisposable)step).Dispose();
        return Checkpoint.PathIn(directory.Path);
    }

    [Fact]
    public void A_single_flipped_bit_anywhere_in_the_file_is_refused()
    {
        using var directory = new TempDirectory();
        string path = SaveSmallRun(directory);
        byte[] original = File.ReadAllBytes(path);
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(original);
        var positions = Enumerable.Range(0, headerEnd).Where(i => i % 3 == 0)                     // a third of the length field and header
            .Concat(Enumerable.Range(0, 200).Select(i => headerEnd + (int)((long)i * (original.Length - headerEnd - 1) / 199)));
        int refused = 0;
        foreach (int position in positions)
        {
            byte[] damaged = (byte[])original.Clone();
            damaged[position] ^= (byte)(1 << (position % 8));
            File.WriteAllBytes(path, damaged);
            var error = Assert.Throws<InvalidInputException>(() => Checkpoint.Load(directory.Path, CPU));
            Assert.DoesNotContain('\n', error.Message);
            refused++;
        }
        Assert.True(refused > 300, $"{refused} flips tried");
    }

    public static TheoryData<string, string, string> DamagedStates => new()
    {
        { "\"TotalSteps\":16", "\"TotalStEps\":16", "TotalStEps" },
        { "\"Step\":3", "\"Step\":-100", "Step -100 is negative" },
        { "\"Step\":3", "\"Step\":17", "beyond TotalSteps" },
        { "\"LearningRate\":0.001", "\"LearningRate\":\"NaN\"", "cannot be read" },
        { "\"StepsPerEpoch\":8", "\"StepsPerEpoch\":0", "StepsPerEpoch 0" },
        { "\"BatchSize\":32", "\"BatchSize\":0", "BatchSize 0" },
        { "\"Binarize\":\"Dynamic\"", "\"Binarize\":7", "cannot be read" },
    };

    [Theory]
    [MemberData(nameof(DamagedStates))]
    public void A_resigned_training_state_out_of_range_is_refused(string from, string to, string expected)
    {
        using var directory = new TempDirectory();
        string path = SaveSmallRun(directory);
        Resign(path, metadata =>
        {
            Assert.Contains(from, metadata["gensharp_training"]);
            metadata["gensharp_training"] = metadata["gensharp_training"].Replace(from, to);
        }, _ => { });
        var error = Assert.Throws<InvalidInputException>(() => Checkpoint.Load(directory.Path, CPU));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_weight_relabelled_with_another_dtype_or_shape_is_refused()
    {
        using var directory = new TempDirectory();
        string path = SaveSmallRun(directory);
        string name = "";
        Resign(path, _ => { }, tensors =>
        {
            name = tensors.Keys.First(k => !k.StartsWith('_') && tensors[k].dtype == ScalarType.Float32 && tensors[k].dim() == 2);
            tensors[name] = Relabel(tensors[name], ScalarType.Int32);                          // the same bytes, read as integers
        });
        var error = Assert.Throws<InvalidInputException>(() => Checkpoint.Load(directory.Path, CPU));
        Assert.Contains($"'{name}' is Int32", error.Message);

        Resign(path, _ => { }, tensors => tensors[name] = Relabel(tensors[name], ScalarType.Float32).flatten());
        Assert.Contains("in the model its options describe", Assert.Throws<InvalidInputException>(() => Checkpoint.Load(directory.Path, CPU)).Message);
    }

    [Fact]
    public void Non_finite_weights_are_refused()
    {
        using var directory = new TempDirectory();
        string path = SaveSmallRun(directory);
        Resign(path, _ => { }, tensors =>
        {
            string name = tensors.Keys.First(k => !k.StartsWith('_') && tensors[k].dtype == ScalarType.Float32);
            tensors[name] = tensors[name].clone().fill_(float.NaN);
        });
        Assert.Contains("NaN or infinite", Assert.Throws<InvalidInputException>(() => Checkpoint.Load(directory.Path, CPU)).Message);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(0)]
    [InlineData(5055)]
    public void An_rng_state_of_the_wrong_size_is_refused_before_libtorch_sees_it(int bytes)
    {
        using var directory = new TempDirectory();
        string path = SaveSmallRun(directory);
        Resign(path, _ => { }, tensors => tensors["_gensharp.generator"] = zeros(bytes, ScalarType.Byte));
        using LoadedCheckpoint checkpoint = Checkpoint.Load(directory.Path, CPU);
        using var model = checkpoint.Model;
        using var generator = new Generator(1);
        var error = Assert.Throws<InvalidInputException>(() => Checkpoint.RestoreGenerator(checkpoint, generator));
        Assert.Contains($"Byte [{bytes}]", error.Message);
        Assert.Contains("Byte [5056]", error.Message);
    }

    private static Tensor Relabel(Tensor source, ScalarType type)
    {
        Tensor target = empty(source.shape, type);
        source.contiguous().bytes.CopyTo(target.bytes);
        return target;
    }

    /// <summary>Rewrites a checkpoint with changed metadata or tensors and a freshly computed checksum.</summary>
    internal static void Resign(string path, Action<Dictionary<string, string>> editMetadata, Action<Dictionary<string, Tensor>> editTensors)
    {
        Dictionary<string, string> metadata;
        Dictionary<string, Tensor> tensors;
        using (SafeTensorsContent content = CheckpointFile.Load(path))
        {
            metadata = content.Metadata.Where(p => p.Key is not ("gensharp_format" or "file_sha256")).ToDictionary(p => p.Key, p => p.Value);
            tensors = content.Tensors.ToDictionary(p => p.Key, p => p.Value.clone());
        }
        editMetadata(metadata);
        editTensors(tensors);
        CheckpointFile.Save(path, tensors, metadata);
        foreach (Tensor t in tensors.Values) t.Dispose();
    }
}
