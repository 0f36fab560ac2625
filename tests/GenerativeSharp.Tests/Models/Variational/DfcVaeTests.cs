using GenerativeSharp.Data;
using GenerativeSharp.Evaluation;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Variational;
using GenerativeSharp.Persistence;
using GenerativeSharp.Recipes;
using GenerativeSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Models.Variational;

public class DfcVaeTests
{
    private static readonly long[] Image = [1, 28, 28];

    /// <summary>A small dfc-vae on [1, 28, 28] (FMNIST-CNN, the first network of that shape, as a benchmark gets it).</summary>
    internal static ModelInstance Build(long seed = 0, params (string Key, string Value)[] settings)
    {
        IModelRecipe recipe = ModelCatalog.Get("dfc-vae");
        var all = new Dictionary<string, string> { ["hidden"] = "32", ["latent"] = "4" };
        foreach (var (key, value) in settings) all[key] = value;
        return ModelInstance.Create(recipe, recipe.ConfigureOptions(DataDescription.FromShape(Image), all), seed, CPU);
    }

    /// <summary>The synthetic strokes resized to 28 x 28: [count, 1, 28, 28] in [0, 1].</summary>
    internal static Tensor Images(int count, long seed)
    {
        using var small = SyntheticImages.Make(count, seed);
        return nn.functional.interpolate(small, [28, 28], mode: InterpolationMode.Bilinear, align_corners: false).clamp(0, 1);
    }

    [Fact]
    public void The_perceptual_loss_is_zero_for_identical_images_and_positive_otherwise()
    {
        using var loss = new FeaturePerceptualLoss(FeatureNetworks.FashionMnist, 3, layerMean: false);
        using var x = Images(4, 1);
        using var y = Images(4, 2);
        using var same = loss.PerExample(x, x);
        Assert.Equal(0.0, same.abs().max().item<float>());
        using var other = loss.PerExample(x, y);
        Assert.True(other.min().item<float>() > 0);
    }

    [Fact]
    public void The_perceptual_loss_is_half_the_summed_squared_activation_difference_in_float64()
    {
        using var loss = new FeaturePerceptualLoss(FeatureNetworks.FashionMnist, 2, layerMean: false);
        using var x = Images(3, 1);
        using var y = Images(3, 2);
        using var got = loss.PerExample(x, y);
        using var network = FeatureNetworks.FashionMnist.Load();
        network.to(ScalarType.Float64);
        using var scope = NewDisposeScope();
        var a = network.StageActivations(x.to(ScalarType.Float64), 2);
        var b = network.StageActivations(y.to(ScalarType.Float64), 2);
        Tensor expected = 0.5 * ((a[0] - b[0]).square().flatten(1).sum(1) + (a[1] - b[1]).square().flatten(1).sum(1));
        Assert.True(got.to(ScalarType.Float64).allclose(expected, rtol: 1e-4, atol: 1e-4));
    }

    [Fact]
    public void Gradients_reach_the_decoder_but_never_the_frozen_feature_network()
    {
        using var model = Build();
        var dfc = (DfcVae)model.Module;
        FeatureClassifier frozen = dfc.Perceptual.Network;
        Tensor[] before = frozen.parameters().Select(p => p.detach().clone()).ToArray();
        Assert.All(frozen.parameters(), p => Assert.False(p.requires_grad));
        Assert.False(frozen.training);
        Assert.DoesNotContain(dfc.named_parameters(), p => p.name.Contains("conv3", StringComparison.Ordinal) || p.name.StartsWith("perceptual", StringComparison.Ordinal));

        using var generator = new Generator(1);
        using var batch = Images(16, 1);
        using (NewDisposeScope())
        {
            StepResult result = dfc.Loss(batch, generator);
            result.Loss.backward();
            var decoderGrads = dfc.named_parameters().Where(p => p.name.StartsWith("decoder", StringComparison.Ordinal)).Select(p => p.parameter.grad).ToArray();
            Assert.NotEmpty(decoderGrads);
            Assert.All(decoderGrads, g => Assert.NotNull(g));
            Assert.Contains(decoderGrads, g => g!.abs().sum().item<float>() > 0);
        }
        ITrainingStep step = model.Recipe.CreateStep(model.Module, 1e-3);
        using (NewDisposeScope()) step.Step(new Batch(batch), generator);
        Assert.All(frozen.parameters(), p => Assert.Null(p.grad));
        Assert.All(frozen.parameters().Zip(before), pair => Assert.True(pair.First.equal(pair.Second).all().item<bool>()));
        foreach (Tensor t in before) t.Dispose();
    }

    [Fact]
    public void Save_then_load_gives_identical_reconstructions_and_the_checkpoint_holds_no_feature_network()
    {
        using var directory = new TempDirectory();
        using var model = Build(seed: 3);
        var state = new TrainingState("synthetic", BinarizationMode.None, 0, 16, 1e-3, 8, 16, 3);
        Checkpoint.Save(directory.Path, model, state, step: null, generator: null);
        using (SafeTensorsContent content = CheckpointFile.Load(Checkpoint.PathIn(directory.Path)))
        {
            Assert.All(content.Tensors.Keys, key => Assert.True(key.StartsWith("encoder.", StringComparison.Ordinal) || key.StartsWith("decoder.", StringComparison.Ordinal)
                || key.StartsWith("_gensharp", StringComparison.Ordinal), key));
            Assert.Contains("FMNIST-CNN", content.Metadata["gensharp_options"], StringComparison.Ordinal);
        }
        using LoadedCheckpoint loaded = Checkpoint.Load(directory.Path, CPU);
        using var rebuilt = loaded.Model;
        var original = (DfcVae)model.Module;
        var copy = (DfcVae)rebuilt.Module;
        using var x = Images(6, 4);
        using var scope = NewDisposeScope();
        Assert.True(original.Decode(original.Encode(x)).equal(copy.Decode(copy.Encode(x))).all().item<bool>());
        using var g1 = new Generator(11);
        using var g2 = new Generator(11);
        Assert.True(original.Loss(x, g1).Loss.equal(copy.Loss(x, g2).Loss).item<bool>());   // the rebuilt feature network is the same
    }

    [Fact]
    public void A_training_step_and_sampling_leave_no_live_tensors()
    {
        using var model = Build();
        ITrainingStep step = model.Recipe.CreateStep(model.Module, 1e-3);
        using var generator = new Generator(1);
        using var batch = Images(16, 1);
        using (NewDisposeScope()) step.Step(new Batch(batch), generator);   // the first step creates Adam's moments
        DisposeScopeManager.Statistics.Reset();
        using (NewDisposeScope()) step.Step(new Batch(batch), generator);
        using (NewDisposeScope()) ((IGenerativeModel)model.Module).Sample(4, generator);
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Theory]
    [InlineData("features", "EMOJI-CNN-32", "takes [3, 32, 32]")]
    [InlineData("features", "INCEPTION", "expected one of")]
    [InlineData("layers", "4", "layers must be 1, 2 or 3")]
    public void Bad_settings_are_refused_in_one_line(string key, string value, string expected)
    {
        var error = Assert.Throws<InvalidInputException>(() =>
            ModelCatalog.Get("dfc-vae").ConfigureOptions(DataDescription.FromShape(Image), new Dictionary<string, string> { [key] = value }));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Data_no_feature_network_fits_is_refused_in_one_line()
    {
        var error = Assert.Throws<InvalidInputException>(() =>
            ModelCatalog.Get("dfc-vae").ConfigureOptions(DataDescription.FromShape([1, 12, 12]), new Dictionary<string, string>()));
        Assert.Contains("takes images a feature network fits", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
