using System.Text.Json.Nodes;
using GenerativeSharp.Data;
using GenerativeSharp.Evaluation;
using GenerativeSharp.Models;
using GenerativeSharp.Recipes;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Evaluation;

public sealed class LikelihoodEvaluatorTests
{
    /// <summary>A density with log p(x) = -sum(x), so the exact NLL of a batch is known.</summary>
    private sealed class KnownDensity : IDensityModel
    {
        public long[] EventShape => [4];

        public Tensor LogProb(Tensor x) => -x.sum(1);

        public Tensor Sample(int count, Generator? generator = null) => zeros(count, 4);
    }

    [Fact]
    public void Exact_models_report_exact_nats_and_bits_per_dim()
    {
        using var x = arange(0, 12, dtype: ScalarType.Float32).view(3, 4);   // row sums 6, 22, 38
        EvaluationReport report = LikelihoodEvaluator.Evaluate(new KnownDensity(), x, "known", "d", "test", 1, 0, CPU);
        Assert.Equal(22.0, report.NllNats!.Value, 9);
        Assert.Equal(22.0 / (4 * Math.Log(2)), report.BitsPerDim!.Value, 9);
        Assert.Equal("exact", report.NllKind);
        Assert.Null(report.KlGapNats);
        Assert.Null(report.NegativeElboNats);
    }

    /// <summary>The true density of a toy as a model (a test double), in float32 as a model would be.</summary>
    private sealed class TrueToyDensity(ToyDensity toy) : IDensityModel
    {
        public long[] EventShape => [2];

        public Tensor LogProb(Tensor x) => toy.LogProb(x).to(ScalarType.Float32);

        public Tensor Sample(int count, Generator? generator = null) => toy.Sample(count, generator ?? new Generator(0));
    }

    [Theory]
    [InlineData("8gaussians")]
    [InlineData("moons")]
    [InlineData("rings")]
    public void The_true_density_scores_a_paired_kl_gap_of_zero_on_a_toy(string name)
    {
        ToyDensity toy = ToyDensities.Get(name);
        using var generator = new Generator(DataSplitsSeed);
        using Tensor points = toy.Sample(20_000, generator);
        EvaluationReport report = LikelihoodEvaluator.Evaluate(new TrueToyDensity(toy), points, "truth", $"toy:{name}", "test", 1, 0, CPU, toy);
        double gap = report.KlGapNats!.Value, stdErr = report.KlGapStdErr!.Value;
        Assert.True(Math.Abs(gap) <= 2 * stdErr + 1e-6, $"{name}: gap {gap} +- {stdErr}");        // 1e-6: float32 rounding of log q
        Assert.Equal(toy.EntropyNats, report.TrueNllNats);
        Assert.Equal(report.NllNats!.Value - report.TrueDensityTestNllNats!.Value, gap, 6);
        Assert.True(report.ToJson().ContainsKey("kl_gap_std_err"));
    }

    private const ulong DataSplitsSeed = 12345;

    [Fact]
    public void Progress_names_the_phase_and_shows_k_only_for_importance_sampling()
    {
        using var x = arange(0, 12, dtype: ScalarType.Float32).view(3, 4);
        var exact = new StringWriter();
        LikelihoodEvaluator.Evaluate(new KnownDensity(), x, "known", "d", "test", 100, 0, CPU, progress: new GenerativeSharp.Training.ProgressReporter(GenerativeSharp.Training.ProgressMode.Plain, exact, false));
        Assert.StartsWith("likelihood 3/3", exact.ToString());
        Assert.DoesNotContain("k=", exact.ToString());
        using var vae = TestModels.Vae([2]);
        using var points = randn(4, 2);
        var bound = new StringWriter();
        LikelihoodEvaluator.Evaluate(vae.Model, points, "vae", "d", "test", 5, 0, CPU, progress: new GenerativeSharp.Training.ProgressReporter(GenerativeSharp.Training.ProgressMode.Plain, bound, false));
        Assert.Contains("k=5", bound.ToString());
    }

    [Fact]
    public void A_dequantized_flow_reports_a_bound_with_fresh_noise_for_every_batch()
    {
        IModelRecipe recipe = ModelCatalog.Get("glow");
        string options = recipe.ConfigureOptions(DataDescription.FromShape([1, 12, 12]), new Dictionary<string, string> { ["layers"] = "1", ["hidden"] = "8" });
        using ModelInstance glow = ModelInstance.Create(recipe, options, 0, CPU);
        using Tensor one = SyntheticImages.Make(1, 4);
        using Tensor copies = one.expand(1000, -1, -1, -1).contiguous();          // two batches of 500 of the same image
        EvaluationReport both = LikelihoodEvaluator.Evaluate(glow.Model, copies, "glow", "d", "test", 1, 0, CPU);
        EvaluationReport first = LikelihoodEvaluator.Evaluate(glow.Model, copies.narrow(0, 0, 500), "glow", "d", "test", 1, 0, CPU);
        Assert.Equal("bound", both.NllKind);
        Assert.Equal("uniform", both.Dequantization);
        Assert.NotEqual(first.NllNats!.Value, both.NllNats!.Value);                // the second batch drew other noise
        Assert.InRange(both.NllNats!.Value, first.NllNats!.Value - 1, first.NllNats!.Value + 1);
        EvaluationReport again = LikelihoodEvaluator.Evaluate(glow.Model, copies, "glow", "d", "test", 1, 0, CPU);
        Assert.Equal(both.NllNats, again.NllNats);                                  // and repeats with the seed
    }

    [Fact]
    public void Json_has_every_contract_field()
    {
        var report = new EvaluationReport { Model = "m", Data = "d", Split = "test", Examples = 3, NllNats = 1.5, BitsPerDim = 0.1, NllKind = "bound", Seconds = 0.25 };
        JsonObject json = report.ToJson();
        foreach (string field in new[] { "model", "data", "split", "examples", "nll_nats", "bits_per_dim", "nll_kind", "seconds" })
            Assert.True(json.ContainsKey(field), field);
        Assert.False(json.ContainsKey("kl_gap_nats"));
    }
}
