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

    private static readonly long[] ColourImage = [3, SyntheticImages.Size, SyntheticImages.Size];

    private static ModelInstance Tiny(params (string Key, string Value)[] settings) => Tiny(Image, settings);

    private static ModelInstance Tiny(long[] shape, params (string Key, string Value)[] settings)
    {
        IModelRecipe recipe = ModelCatalog.Get("vq-vae");
        var all = new Dictionary<string, string> { ["hidden"] = "8", ["codes"] = "16", ["dim"] = "4" };
        foreach (var (key, value) in settings) all[key] = value;
        if (!all.ContainsKey("prior") || all["prior"] == "true") { all["prior_channels"] = "8"; all["prior_layers"] = "2"; }
        return ModelInstance.Create(recipe, recipe.ConfigureOptions(DataDescription.Images(shape), all), 0, CPU);
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
    public void Colour_images_get_a_gaussian_decoder_and_misfits_are_refused_in_one_line()
    {
        IModelRecipe recipe = ModelCatalog.Get("vq-vae");
        string options = recipe.ConfigureOptions(DataDescription.Images([3, 16, 16]), new Dictionary<string, string>());
        Assert.Contains("\"Decoder\":\"Gaussian\"", options.Replace(" ", ""));
        var bernoulli = Assert.Throws<InvalidInputException>(() =>
            recipe.ConfigureOptions(DataDescription.Images([3, 16, 16]), new Dictionary<string, string> { ["decoder"] = "bernoulli" }));
        Assert.Contains("colour images need decoder=gaussian", bernoulli.Message);
        Assert.DoesNotContain('\n', bernoulli.Message);
        Assert.Throws<InvalidInputException>(() => recipe.ConfigureOptions(DataDescription.Images([1, 10, 10]), new Dictionary<string, string>()));
        Assert.Throws<InvalidInputException>(() => recipe.ConfigureOptions(DataDescription.Images(Image), new Dictionary<string, string> { ["codes"] = "300" }));
    }

    [Fact]
    public void The_gaussian_bound_is_the_dequantized_density_plus_d_ln_256_minus_the_prior()
    {
        using var model = Tiny(ColourImage, ("decoder", "gaussian"));
        var vq = (VqVae)model.Module;
        vq.eval();
        using var scope = NewDisposeScope();
        Tensor x = Colour(4, 3);
        Tensor bound = vq.NegativeBound(x, 1, new Generator(7));
        Tensor codes = vq.Codes(x);
        Tensor y = Dequantization.Uniform(x, new Generator(7));               // the same u as the bound drew
        Assert.True((y >= x * 255 / 256 - 1e-6).all().item<bool>() && (y < (x * 255 + 1) / 256 + 1e-6).all().item<bool>());
        Tensor expected = -vq.LogLikelihood(y, vq.Embed(codes)) + 3 * 12 * 12 * Math.Log(256) - vq.PriorLogProb(codes);
        Assert.True(bound.allclose(expected, rtol: 1e-5), $"{bound} vs {expected}");
        Tensor samples = vq.Sample(3, new Generator(1));
        Assert.Equal([3L, 3, 12, 12], samples.shape);
        Assert.True((samples >= 0).all().item<bool>() && (samples <= 1).all().item<bool>());
        Assert.Equal([4L, 3, 12, 12], vq.Decode(vq.Encode(x)).shape);
        Assert.Contains("D ln 256", vq.BoundDescription);
    }

    [Fact]
    public void Training_lowers_the_colour_bound()
    {
        using var model = Tiny(ColourImage, ("decoder", "gaussian"));
        using var step = (SingleObjectiveStep)model.Recipe.CreateStep(model.Module, 3e-3);
        using var generator = new Generator(2);
        using var data = Colour(64, 2);
        var vq = (VqVae)model.Module;
        double Bound() { using var s = NewDisposeScope(); vq.eval(); double b = vq.NegativeBound(data, 1, new Generator(5)).mean().item<float>(); vq.train(); return b; }
        double before = Bound();
        for (int i = 0; i < 60; i++)
            using (NewDisposeScope()) step.Step(new Batch(data.narrow(0, (i % 4) * 16, 16)), generator);
        double after = Bound();
        Assert.True(after < before - 0.1 * Math.Abs(before), $"the bound should fall: {before} -> {after}");
    }

    /// <summary>Colour 8-bit images [count, 3, 12, 12]: the synthetic shapes in three different tints.</summary>
    private static Tensor Colour(int count, long seed)
    {
        using var scope = NewDisposeScope();
        Tensor grey = SyntheticImages.Make(count, seed);
        return (cat([grey, grey * 0.5 + 0.25, 1 - grey], 1) * 255).round().div(255).MoveToOuterDisposeScope();
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

    [Fact]
    public void With_the_autoencoder_frozen_a_step_moves_only_the_prior()
    {
        using var model = Tiny(("train_autoencoder", "false"), ("dead_after", "1"));
        var vq = (VqVae)model.Module;
        Assert.Equal(["encoder.", "decoder.", "quantizer."], vq.PartsToInitialise);
        using var step = (SingleObjectiveStep)model.Recipe.CreateStep(model.Module, 3e-3);
        using var generator = new Generator(3);
        using var data = SyntheticImages.Make(16, 1).bernoulli(generator);
        var before = vq.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        vq.train();
        double first = 0, last = 0;
        for (int i = 0; i < 30; i++)
            using (NewDisposeScope())
            {
                var metrics = step.Step(new Batch(data), generator);
                if (i == 0) first = metrics["prior_nll"];
                last = metrics["prior_nll"];
                Assert.Equal(metrics["prior_nll"], metrics["loss"], 4);   // the loss is the prior's term alone
                Assert.Equal(0, metrics["revived"]);
            }
        foreach (var (name, tensor) in vq.state_dict())
        {
            bool same = tensor.equal(before[name]).all().item<bool>();
            if (name.StartsWith("prior.", StringComparison.Ordinal)) continue;
            Assert.True(same, $"{name} moved although the autoencoder is frozen");
        }
        Assert.Contains(vq.state_dict(), p => p.Key.StartsWith("prior.", StringComparison.Ordinal) && !p.Value.equal(before[p.Key]).all().item<bool>());
        Assert.True(last < first, $"the prior's NLL should fall: {first} -> {last}");
        foreach (Tensor t in before.Values) t.Dispose();
        Assert.Throws<InvalidInputException>(() => Tiny(("train_autoencoder", "false"), ("prior", "false")));
    }

    [Fact]
    public void The_prior_embeds_the_codes_and_options_without_the_embedding_load_as_levels()
    {
        using (var embedded = Tiny())
            Assert.Contains("prior.categories.weight", embedded.Module.state_dict().Keys);
        using (var levels = Tiny(("prior_input", "level")))
            Assert.DoesNotContain("prior.categories.weight", levels.Module.state_dict().Keys);
        // A run written before the embedding existed has no PriorInput in its options: it loads as levels.
        var old = System.Text.Json.JsonSerializer.Deserialize<VqVaeOptions>("{\"EventShape\":[1,12,12],\"Hidden\":8,\"Codes\":16}")!;
        Assert.Equal(PriorInput.Level, old.PriorInput);
    }
}
