using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Training;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Training;

public sealed class CheckpointTests
{
    private static TrainingState State => new("synthetic", BinarizationMode.Dynamic, 0, 32, 1e-3, 8, 16, 3);

    [Theory]
    [InlineData("mlp")]
    [InlineData("conv")]
    public void Save_then_load_rebuilds_a_model_with_identical_outputs(string network)
    {
        using var directory = new TempDirectory();
        using var model = TestModels.Vae([1, 12, 12], settings: [("network", network), ("hidden", "24"), ("latent", "3")]);
        Checkpoint.Save(directory.Path, model, State, step: null, generator: null);
        using LoadedCheckpoint loaded = Checkpoint.Load(directory.Path, CPU);
        using var rebuilt = loaded.Model;

        Assert.Equal(model.OptionsJson, rebuilt.OptionsJson);
        Assert.Equal(State, loaded.State);
        using var x = SyntheticImages.Make(6, 4);
        var original = (ILatentModel)model.Module;
        var copy = (ILatentModel)rebuilt.Module;
        Assert.True(original.Encode(x).equal(copy.Encode(x)).all().item<bool>());
        using var g1 = new Generator(11);
        using var g2 = new Generator(11);
        Assert.True(original.Sample(4, g1).equal(copy.Sample(4, g2)).all().item<bool>());
    }

    [Fact]
    public void Loading_a_missing_or_damaged_checkpoint_says_what_is_wrong()
    {
        using var directory = new TempDirectory();
        var missing = Assert.Throws<InvalidInputException>(() => Checkpoint.Load(directory.Path, CPU));
        Assert.Contains("no checkpoint", missing.Message);

        using var model = TestModels.Vae([1, 12, 12], settings: [("hidden", "8")]);
        Checkpoint.Save(directory.Path, model, State, null, null);
        string path = Checkpoint.PathIn(directory.Path);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[^10] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var damaged = Assert.Throws<InvalidInputException>(() => Checkpoint.Load(directory.Path, CPU));
        Assert.Contains("checksum", damaged.Message);
    }
}
