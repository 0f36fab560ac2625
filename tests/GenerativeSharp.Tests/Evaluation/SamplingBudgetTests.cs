using GenerativeSharp.Evaluation;
using GenerativeSharp.Models;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Evaluation;

public sealed class SamplingBudgetTests
{
    /// <summary>A sampler that takes a fixed time per call, like a long Markov chain.</summary>
    private sealed class SlowSampler(int milliseconds) : IGenerativeModel
    {
        public long[] EventShape => [2];

        public Tensor Sample(int count, Generator? generator = null)
        {
            Thread.Sleep(milliseconds);
            return zeros(count, 2);
        }
    }

    [Fact]
    public void A_default_that_costs_more_than_the_training_is_skipped_with_a_note()
    {
        var slow = new SlowSampler(400);                                       // 10,000 samples: about 125 s
        string? note = SamplingBudget.SkipNote(slow, 10_000, trainingSeconds: 30, "sample-quality metrics", "--quality-samples", CPU);
        Assert.NotNull(note);
        Assert.Contains("sample-quality metrics skipped: 10000 samples would take about", note);
        Assert.Contains("the training's 30 s", note);
        Assert.Contains("--quality-samples N", note);
        Assert.Null(SamplingBudget.SkipNote(slow, 10_000, trainingSeconds: 3600, "sample-quality metrics", "--quality-samples", CPU));
    }

    [Fact]
    public void A_draw_under_a_minute_is_always_affordable()
    {
        Assert.Null(SamplingBudget.SkipNote(new SlowSampler(1), 10_000, trainingSeconds: 0.5, "x", "--x", CPU));
        Assert.Null(SamplingBudget.SkipNote(new SlowSampler(1000), SamplingBudget.PilotSamples, trainingSeconds: 0.5, "x", "--x", CPU));
    }
}
