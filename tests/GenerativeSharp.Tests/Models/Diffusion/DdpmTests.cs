using TorchSharp;
using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Diffusion;
using GenerativeSharp.Recipes;
using GenerativeSharp.Training;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Models.Diffusion;

public sealed class DdpmTests
{
    private static ModelInstance Build(DataDescription data, params (string Key, string Value)[] settings)
    {
        IModelRecipe recipe = ModelCatalog.Get("ddpm");
        string options = recipe.ConfigureOptions(data, settings.ToDictionary(s => s.Key, s => s.Value));
        return ModelInstance.Create(recipe, options, 0, CPU);
    }

    private static ModelInstance Points() => Build(DataDescription.Points(), ("timesteps", "30"), ("hidden", "16"), ("depth", "1"));

    [Theory]
    [InlineData(2, 0, 0)]
    [InlineData(1, 28, 256)]
    [InlineData(3, 16, 256)]
    [InlineData(3, 32, 256)]
    [InlineData(1, 64, 256)]
    public void The_recipe_trains_a_step_samples_and_bounds_on_points_grey_and_colour_of_side_16_to_64(int channels, int side, int levels)
    {
        DataDescription data = side == 0 ? DataDescription.Points() : DataDescription.Images([channels, side, side]);
        using ModelInstance model = side == 0 ? Points() : Build(data, ("timesteps", "20"), ("channels", "8"));
        var ddpm = (Ddpm)model.Module;
        Assert.Equal(levels, ddpm.Options.Levels);
        Assert.Equal(BinarizationMode.None, model.Recipe.DefaultBinarization(model.OptionsJson, data));
        using var generator = new Generator(1);
        using var batch = side == 0 ? randn([8, 2], generator: generator) : (rand([4, channels, side, side], generator: generator) * 255).round() / 255;
        ITrainingStep step = model.Recipe.CreateStep(model.Module, 1e-3);
        double loss;
        using (NewDisposeScope()) loss = step.Step(new Batch(batch), generator)["loss"];
        Assert.True(double.IsFinite(loss));
        using var scope = NewDisposeScope();
        Tensor samples = ddpm.Sample(2, generator);
        Assert.Equal([2L, .. data.EventShape], samples.shape);
        if (side > 0) Assert.True(samples.min().item<float>() >= 0 && samples.max().item<float>() <= 1);
        Tensor bound = ddpm.NegativeBound(batch, 3, generator);
        Assert.Equal(new[] { batch.shape[0] }, bound.shape);
        Assert.True(bound.isfinite().all().item<bool>());
    }

    [Fact]
    public void Sampling_repeats_from_a_seed_with_every_sampler()
    {
        using ModelInstance model = Points();
        var ddpm = (Ddpm)model.Module;
        foreach (var sampler in new[] { ddpm.DefaultSampler, ddpm.AncestralSampler, new GenerativeSharp.Models.Diffusion.Samplers.DdimSampler(7, 0.5) })
        {
            using var a = ddpm.Sample(5, sampler, new Generator(9));
            using var b = ddpm.Sample(5, sampler, new Generator(9));
            using var c = ddpm.Sample(5, sampler, new Generator(10));
            Assert.True(a.equal(b).all().item<bool>(), sampler.Name);
            Assert.False(a.equal(c).all().item<bool>(), sampler.Name);
        }
    }

    [Fact]
    public void Save_then_load_gives_the_same_samples_and_bound()
    {
        using var directory = new TempDirectory();
        using ModelInstance model = Points();
        ITrainingStep step = model.Recipe.CreateStep(model.Module, 1e-2);
        using var generator = new Generator(2);
        using var x = randn([16, 2], generator: generator);
        for (int i = 0; i < 3; i++)
            using (NewDisposeScope()) step.Step(new Batch(x), generator);
        var state = new TrainingState("toy:8gaussians", BinarizationMode.None, 0, 16, 1e-2, 3, 16, 1);
        Checkpoint.Save(directory.Path, model, state, step: null, generator: null);
        using LoadedCheckpoint loaded = Checkpoint.Load(directory.Path, CPU);
        using var rebuilt = loaded.Model;
        var original = (Ddpm)model.Module;
        var copy = (Ddpm)rebuilt.Module;
        using var s1 = original.Sample(6, new Generator(4));
        using var s2 = copy.Sample(6, new Generator(4));
        Assert.True(s1.equal(s2).all().item<bool>());
        using var b1 = original.NegativeBound(x, 30, new Generator(5));
        using var b2 = copy.NegativeBound(x, 30, new Generator(5));
        Assert.True(b1.equal(b2).all().item<bool>());
    }

    [Fact]
    public void The_moving_average_moves_towards_the_trained_weights()
    {
        using ModelInstance model = Build(DataDescription.Points(), ("timesteps", "30"), ("hidden", "16"), ("depth", "1"), ("ema", "0.5"));
        var ddpm = (Ddpm)model.Module;
        ITrainingStep step = model.Recipe.CreateStep(model.Module, 1e-2);
        using var generator = new Generator(2);
        using var x = randn([16, 2], generator: generator);
        using var before = ddpm.AveragePredictor(x, zeros([16], ScalarType.Int64));
        using (NewDisposeScope()) step.Step(new Batch(x), generator);
        using var trained = ddpm.Predictor(x, zeros([16], ScalarType.Int64)).detach();
        using var after = ddpm.AveragePredictor(x, zeros([16], ScalarType.Int64));
        Assert.False(before.equal(after).all().item<bool>(), "the average must move");
        double gapBefore = (before - trained).abs().max().item<float>(), gapAfter = (after - trained).abs().max().item<float>();
        Assert.True(gapAfter < 0.2 * gapBefore, $"the first update's warm-up decay is 0.1: {gapAfter} vs {gapBefore}");
    }

    [Fact]
    public void A_training_step_and_sampling_leave_no_live_tensors()
    {
        using ModelInstance model = Points();
        var ddpm = (Ddpm)model.Module;
        ITrainingStep step = model.Recipe.CreateStep(model.Module, 1e-3);
        using var generator = new Generator(1);
        using var batch = randn([16, 2], generator: generator);
        using (NewDisposeScope()) step.Step(new Batch(batch), generator);     // the first step creates Adam's moments
        DisposeScopeManager.Statistics.Reset();
        using (NewDisposeScope()) step.Step(new Batch(batch), generator);
        using (NewDisposeScope()) ddpm.Sample(4, generator);
        using (NewDisposeScope()) ddpm.Sample(4, ddpm.AncestralSampler, generator);
        using (NewDisposeScope()) ddpm.NegativeBound(batch, 5, generator);
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Images_of_a_side_the_unet_cannot_halve_are_refused_in_one_line()
    {
        IModelRecipe recipe = ModelCatalog.Get("ddpm");
        var e = Assert.Throws<InvalidInputException>(() => recipe.ConfigureOptions(DataDescription.Images([1, 30, 30]), new Dictionary<string, string>()));
        Assert.StartsWith("ddpm ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Throws<InvalidInputException>(() => recipe.ConfigureOptions(DataDescription.Points(), new Dictionary<string, string> { ["channels"] = "8" }));
    }
}
