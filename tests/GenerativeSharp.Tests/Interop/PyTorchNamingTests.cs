using GenerativeSharp.Data;
using GenerativeSharp.Interop;
using GenerativeSharp.Recipes;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Interop;

/// <summary>The PyTorch names of <see cref="PyTorchNaming"/>: the pytorch/examples VAE exactly, lossless load, MADE's masks, no leaks.</summary>
public sealed class PyTorchNamingTests
{
    private static ModelInstance Build(string model, long[] shape, long seed, params (string Key, string Value)[] settings)
    {
        IModelRecipe recipe = ModelCatalog.Get(model);
        DataDescription data = shape.Length == 1 ? DataDescription.Points((int)shape[0]) : DataDescription.Images(shape);
        return ModelInstance.Create(recipe, recipe.ConfigureOptions(data, settings.ToDictionary(s => s.Key, s => s.Value)), seed, CPU);
    }

    [Fact]
    public void The_default_image_vae_has_exactly_the_names_and_shapes_of_the_pytorch_examples_vae()
    {
        using var model = Build("vae", [1, 28, 28], seed: 0);
        using var scope = NewDisposeScope();
        var exported = PyTorchNaming.Export(model).ToDictionary(p => p.Key, p => p.Value.shape);
        var expected = new Dictionary<string, long[]>
        {
            ["fc1.weight"] = [400, 784], ["fc1.bias"] = [400], ["fc21.weight"] = [20, 400], ["fc21.bias"] = [20],
            ["fc22.weight"] = [20, 400], ["fc22.bias"] = [20], ["fc3.weight"] = [400, 20], ["fc3.bias"] = [400],
            ["fc4.weight"] = [784, 400], ["fc4.bias"] = [784],
        };
        Assert.Equal(expected.Keys.Order(), exported.Keys.Order());
        foreach (var (name, shape) in expected) Assert.Equal(shape, exported[name]);
    }

    [Theory]
    [InlineData("vae")]
    [InlineData("made")]
    [InlineData("gated-pixelcnn")]
    [InlineData("realnvp")]
    public void Loading_an_export_into_a_fresh_model_gives_the_same_weights_and_leaves_no_live_tensors(string name)
    {
        (string, string)[] settings = name switch
        {
            "made" => [("hidden", "8")],
            "gated-pixelcnn" => [("channels", "4"), ("layers", "2")],
            "realnvp" => [("layers", "2"), ("hidden", "8")],
            _ => [("hidden", "8"), ("latent", "2")],
        };
        long[] shape = name == "realnvp" ? [2] : [1, 6, 6];
        using var source = Build(name, shape, seed: 1, settings);
        using var target = Build(name, shape, seed: 2, settings);
        using (NewDisposeScope())
        {
            PyTorchNaming.Export(source);                                      // warm-up: lazily built buffers (MADE's masks)
            PyTorchNaming.Load(target, PyTorchNaming.Export(target), "warm-up");
        }
        DisposeScopeManager.Statistics.Reset();
        using (NewDisposeScope()) PyTorchNaming.Load(target, PyTorchNaming.Export(source), "source");
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        var expected = source.Module.state_dict();
        foreach (var (key, value) in target.Module.state_dict())
            Assert.True(value.eq(expected[key]).all().item<bool>(), $"{name}: {key} differs after the load");
    }

    [Fact]
    public void A_made_file_whose_masks_differ_from_the_mask_seed_is_refused()
    {
        using var seeded0 = Build("made", [1, 6, 6], seed: 0, ("hidden", "8"), ("mask_seed", "0"));
        using var seeded1 = Build("made", [1, 6, 6], seed: 0, ("hidden", "8"), ("mask_seed", "1"));
        using var scope = NewDisposeScope();
        var error = Assert.Throws<InvalidInputException>(() => PyTorchNaming.Load(seeded1, PyTorchNaming.Export(seeded0), "f.safetensors"));
        Assert.Contains("_net.0.mask", error.Message);
        Assert.Contains("mask_seed 1", error.Message);
    }
}
