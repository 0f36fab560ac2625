using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.MarkovChain;
using GenerativeSharp.Recipes;
using GenerativeSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Models.MarkovChain;

public sealed class GsnTests
{
    private static readonly long[] Image = [1, SyntheticImages.Size, SyntheticImages.Size];

    private static ModelInstance Build(long[] shape, long seed = 0, params (string Key, string Value)[] settings)
    {
        IModelRecipe recipe = ModelCatalog.Get("gsn");
        string options = recipe.ConfigureOptions(DataDescription.FromShape(shape), settings.ToDictionary(s => s.Key, s => s.Value));
        return ModelInstance.Create(recipe, options, seed, CPU);
    }

    [Fact]
    public void Shapes_of_corruption_reconstruction_chain_and_samples()
    {
        using var model = Build(Image, settings: [("hidden", "32"), ("burnin", "5")]);
        var gsn = (Gsn)model.Module;
        using var generator = new Generator(3);
        using var x = SyntheticImages.Make(5, 1).bernoulli(generator);
        using var corrupted = gsn.Corrupt(x, generator);
        Assert.Equal(x.shape, corrupted.shape);
        Assert.Equal(new long[] { 5 }, gsn.LogLikelihood(x, corrupted).shape);
        Assert.Equal(x.shape, gsn.Reconstruct(corrupted).shape);
        Assert.Equal(0, gsn.Loss(x, generator).Loss.dim());
        Assert.Equal(new long[] { 3, 5, 1, 12, 12 }, gsn.Chain(x, steps: 7, thinning: 2, generator).shape);
        using var samples = gsn.Sample(4, generator);
        Assert.Equal(new long[] { 4, 1, 12, 12 }, samples.shape);
        Assert.True(samples.min().item<float>() >= 0 && samples.max().item<float>() <= 1, "Bernoulli samples are pixel probabilities");
        Assert.Equal(new ModelInfo("gsn", TaxonomyCell.MarkovChainImplicit, "GSN", LikelihoodKind.None, model.Recipe.Info.Summary), model.Recipe.Info);
    }

    [Fact]
    public void Two_dimensional_points_use_gaussian_noise_and_a_gaussian_reconstruction()
    {
        using var model = Build([2], settings: [("burnin", "4")]);
        var gsn = (Gsn)model.Module;
        Assert.Equal(GsnOutput.Gaussian, gsn.Options.Output);
        Assert.Equal(GsnCorruption.Gaussian, gsn.Options.Noise);
        using var generator = new Generator(3);
        using var x = randn(8, 2, generator: generator);
        Assert.True(double.IsFinite(gsn.Loss(x, generator).Loss.item<float>()));
        Assert.Equal(new long[] { 6, 2 }, gsn.Sample(6, generator).shape);
        Assert.Equal(new long[] { 2, 8, 2 }, gsn.Chain(x, 4, 2, generator).shape);
        using var fixedStd = Build([2], settings: [("output_std", "0.2"), ("walkback_draw", "mean")]);
        Assert.True(double.IsFinite(((Gsn)fixedStd.Module).Loss(x, generator).Loss.item<float>()));
    }

    [Fact]
    public void Salt_and_pepper_replaces_the_given_share_of_pixels_by_random_bits()
    {
        using var model = Build(Image, settings: [("hidden", "8"), ("noise_prob", "0.4")]);
        using var generator = new Generator(5);
        using var white = ones(2000, 1, 12, 12);
        using var corrupted = ((Gsn)model.Module).Corrupt(white, generator);
        double flipped = 1 - corrupted.mean().item<float>();                  // a replaced pixel becomes 0 half the time
        Assert.InRange(flipped, 0.19, 0.21);
        Assert.True(((corrupted == 0) | (corrupted == 1)).all().item<bool>());
    }

    [Fact]
    public void Walkback_training_lowers_the_loss()
    {
        using var model = Build(Image, settings: [("hidden", "64"), ("depth", "1"), ("walkback", "3")]);
        var gsn = (Gsn)model.Module;
        ITrainingStep step = model.Recipe.CreateStep(model.Module, 3e-3);
        using var generator = new Generator(9);
        using var train = SyntheticImages.Make(256, 1).bernoulli(generator);
        using var test = SyntheticImages.Make(64, 2).bernoulli(generator);
        double Evaluate()
        {
            using var noGrad = no_grad();
            using var evaluation = new Generator(1);
            using var scope = NewDisposeScope();
            return gsn.Loss(test, evaluation).Loss.item<float>();
        }
        double before = Evaluate();
        for (int i = 0; i < 150; i++)
        {
            using var scope = NewDisposeScope();
            Assert.True(double.IsFinite(step.Step(new Batch(train.narrow(0, i % 8 * 32, 32)), generator)["loss"]));
        }
        double after = Evaluate();
        Assert.True(after < before * 0.6, $"the walkback loss should fall well below {before}, got {after}");
    }

    [Fact]
    public void Chain_and_sample_repeat_with_the_same_seed()
    {
        using var model = Build(Image, settings: [("hidden", "32"), ("burnin", "10")]);
        var gsn = (Gsn)model.Module;
        using var start = SyntheticImages.Make(3, 4).round();
        Tensor Chain(ulong seed) { using var g = new Generator(seed); return gsn.Chain(start, 6, 3, g); }
        Tensor Sample(ulong seed) { using var g = new Generator(seed); return gsn.Sample(5, g); }
        using Tensor a = Chain(7), b = Chain(7), c = Chain(8);
        Assert.Equal(new long[] { 2, 3, 1, 12, 12 }, a.shape);
        Assert.True(a.equal(b).all().item<bool>());
        Assert.False(a.equal(c).all().item<bool>());
        using Tensor s1 = Sample(7), s2 = Sample(7), s3 = Sample(8);
        Assert.True(s1.equal(s2).all().item<bool>());
        Assert.False(s1.equal(s3).all().item<bool>());
        Assert.Throws<ArgumentOutOfRangeException>(() => gsn.Chain(start, 3, 4));
        Assert.Throws<ArgumentException>(() => gsn.Chain(start[0], 3, 1));
    }

    [Fact]
    public void A_training_step_leaves_no_live_tensors()
    {
        using var model = Build(Image, settings: [("hidden", "32"), ("burnin", "3")]);
        ITrainingStep step = model.Recipe.CreateStep(model.Module, 1e-3);
        using var generator = new Generator(1);
        using var batch = SyntheticImages.Make(32, 1).bernoulli(generator);
        using (NewDisposeScope()) step.Step(new Batch(batch), generator);   // the first step creates Adam's moments
        DisposeScopeManager.Statistics.Reset();
        using (NewDisposeScope()) step.Step(new Batch(batch), generator);
        using (NewDisposeScope()) ((IGenerativeModel)model.Module).Sample(4, generator);
        using (NewDisposeScope()) ((Gsn)model.Module).Chain(batch, 4, 2, generator);
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Save_then_load_rebuilds_a_model_with_identical_outputs()
    {
        using var directory = new TempDirectory();
        using var model = Build(Image, settings: [("hidden", "24"), ("activation", "tanh"), ("burnin", "5")]);
        var state = new TrainingState("synthetic", BinarizationMode.Dynamic, 0, 32, 1e-3, 8, 16, 3);
        Checkpoint.Save(directory.Path, model, state, step: null, generator: null);
        using LoadedCheckpoint loaded = Checkpoint.Load(directory.Path, CPU);
        using var rebuilt = loaded.Model;
        Assert.Equal(model.OptionsJson, rebuilt.OptionsJson);
        var original = (Gsn)model.Module;
        var copy = (Gsn)rebuilt.Module;
        using var x = SyntheticImages.Make(6, 4);
        Assert.True(original.Reconstruct(x).equal(copy.Reconstruct(x)).all().item<bool>());
        using var g1 = new Generator(11);
        using var g2 = new Generator(11);
        Assert.True(original.Sample(4, g1).equal(copy.Sample(4, g2)).all().item<bool>());
    }

    [Theory]
    [InlineData("noise_prob", "1.5")]
    [InlineData("output_std", "0.1")]
    [InlineData("walkback", "0")]
    [InlineData("noise", "uniform")]
    [InlineData("temperature", "2")]
    public void Invalid_settings_give_one_line_errors(string key, string value)
    {
        var e = Assert.Throws<InvalidInputException>(() => Build(Image, settings: [(key, value)]));
        Assert.DoesNotContain('\n', e.Message);
    }
}
