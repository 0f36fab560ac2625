using System.Text.Json.Nodes;
using GenerativeSharp.Evaluation;
using GenerativeSharp.Models;
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
        EvaluationReport report = LikelihoodEvaluator.Evaluate(new KnownDensity(), x, "known", "d", "test", 1, 0, CPU, trueNllNats: 20);
        Assert.Equal(22.0, report.NllNats!.Value, 9);
        Assert.Equal(22.0 / (4 * Math.Log(2)), report.BitsPerDim!.Value, 9);
        Assert.Equal("exact", report.NllKind);
        Assert.Equal(2.0, report.KlGapNats!.Value, 9);
        Assert.Null(report.ElboNats);
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
