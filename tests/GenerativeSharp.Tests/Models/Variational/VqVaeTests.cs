using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Variational;
using GenerativeSharp.Recipes;
using GenerativeSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Models.Variational;

public sealed class VqVaeTests
{
    private static readonly long[] Image = [1, SyntheticImages.Size, SyntheticImages.Size];

    private static ModelInstance Tiny(params (string Key, string Value)[] settings)
    {
        IModelRecipe recipe = ModelCatalog.Get("vq-vae");
        var all = new Dictionary<string, string> { ["hidden"] = "8", ["codes"] = "16", ["dim"] = "4" };
        foreach (var (key, value) in settings) all[key] = value;
        if (!all.ContainsKey("prior") || all["prior"] == "true") { all["prior_channels"] = "8"; all["prior_layers"] = "2"; }
        return ModelInstance.Create(recipe, recipe.ConfigureOptions(DataDescription.Images(Image), all), 0, CPU);
    }

    [Fact]
    public void Shapes_codes_and_the_bound_add_the_reconstruction_and_prior_terms()
    {
        using var model = Tiny();
        var vq = (VqVae)model.Module;
        using var scope = NewDisposeScope();
        using var generator = new Generator(1);
        Tensor x = SyntheticImages.Make(5, 1).bernoulli(generator);
        Tensor codes = vq.Codes(x);
        Assert.Equal([5L, 3, 3], codes.shape);
        Assert.True(codes.max().item<long>() < 16);
        Assert.Equal([5L, 4, 3, 3], vq.Encode(x).shape);
        Assert.Equal([5L, 1, 12, 12], vq.Decode(vq.Encode(x)).shape);
        Assert.Equal([3L, 1, 12, 12], vq.Sample(3, generator).shape);
        Tensor bound = vq.NegativeBound(x, 1);
        Tensor expected = -vq.LogLikelihood(x, vq.Embed(codes)) - vq.PriorLogProb(codes);
        Assert.True(bound.allclose(expected));
        Assert.True((bound > 0).all().item<bool>());
    }

    [Fact]
    public void Without_a_prior_the_bound_uses_log_k_per_code_and_sampling_draws_uniform_codes()
    {
        using var model = Tiny(("prior", "false"));
        var vq = (VqVae)model.Module;
        using var scope = NewDisposeScope();
        Tensor x = SyntheticImages.Make(2, 1).round();
        Tensor codes = vq.Codes(x);
        Assert.Equal(-9 * Math.Log(16), vq.PriorLogProb(codes)[0].item<float>(), 4);
        Assert.Equal([2L, 1, 12, 12], vq.Sample(2, new Generator(1)).shape);
        Assert.Contains("prior=false", vq.NoPriorNote);
    }

    [Fact]
    public void Colour_images_and_sides_not_divisible_by_4_are_refused_in_one_line()
    {
        IModelRecipe recipe = ModelCatalog.Get("vq-vae");
        var colour = Assert.Throws<InvalidInputException>(() => recipe.ConfigureOptions(DataDescription.Images([3, 16, 16]), new Dictionary<string, string>()));
        Assert.Contains("grey-scale", colour.Message);
        Assert.Throws<InvalidInputException>(() => recipe.ConfigureOptions(DataDescription.Images([1, 10, 10]), new Dictionary<string, string>()));
        Assert.Throws<InvalidInputException>(() => recipe.ConfigureOptions(DataDescription.Images(Image), new Dictionary<string, string> { ["codes"] = "300" }));
    }

    [Fact]
    public void A_training_step_leaves_no_live_tensors_and_reports_codebook_usage()
    {
        using var model = Tiny(("dead_after", "1"));
        using var step = (SingleObjectiveStep)model.Recipe.CreateStep(model.Module, 1e-3);
        using var generator = new Generator(1);
        using var batch = SyntheticImages.Make(16, 1).bernoulli(generator);
        model.Module.train();
        using (NewDisposeScope()) step.Step(new Batch(batch), generator);   // the first step creates Adam's moments
        DisposeScopeManager.Statistics.Reset();
        IReadOnlyDictionary<string, double> metrics;
        using (NewDisposeScope()) metrics = step.Step(new Batch(batch), generator);
        using (NewDisposeScope()) ((IGenerativeModel)model.Module).Sample(2, generator);
        using (NewDisposeScope()) ((VqVae)model.Module).NegativeBound(batch, 1);
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        foreach (string key in new[] { "reconstruction", "commitment", "prior_nll", "bound", "perplexity", "dead_codes", "revived" })
            Assert.True(metrics.ContainsKey(key), key);
        Assert.InRange(metrics["perplexity"], 1, 16);
    }

    [Fact]
    public void Training_lowers_the_bound()
    {
        using var model = Tiny();
        using var step = (SingleObjectiveStep)model.Recipe.CreateStep(model.Module, 3e-3);
        using var generator = new Generator(2);
        using var data = SyntheticImages.Make(64, 1).bernoulli(generator);
        var vq = (VqVae)model.Module;
        double Bound() { using var s = NewDisposeScope(); vq.eval(); double b = vq.NegativeBound(data, 1).mean().item<float>(); vq.train(); return b; }
        double before = Bound();
        for (int i = 0; i < 60; i++)
            using (NewDisposeScope()) step.Step(new Batch(data.narrow(0, (i % 4) * 16, 16)), generator);
        double after = Bound();
        Assert.True(after < before * 0.9, $"the bound should fall: {before} -> {after}");
    }
}
