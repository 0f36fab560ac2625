using GenerativeSharp.Data;
using GenerativeSharp.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Distributed;

/// <summary>
/// The sums a sharded evaluation all-reduces give, in one process, the numbers computed from the whole set of per-example
/// values: the paired KL gap's mean, standard error and true NLL from running sums equal the two-pass ones to 1e-10 relative.
/// </summary>
public sealed class LikelihoodSumsTests
{
    [Fact]
    public void SumsInChunksGiveTheWholeSetsPairedGap()
    {
        using var scope = NewDisposeScope();
        ToyDensity toy = ToyDensities.Get("moons");
        using var generator = new Generator(7);
        Tensor points = toy.Sample(1003, generator);
        Tensor logQ = toy.LogProb(points) - 0.3 + 0.2 * randn(1003, dtype: ScalarType.Float64, generator: generator);
        var sums = new LikelihoodSums(rank: 0, size: 1);
        for (long start = 0; start < 1003; start += 500)
        {
            long count = Math.Min(500, 1003 - start);
            sums.AddLogLikelihood(logQ.narrow(0, start, count));
            sums.AddPairs(toy.LogProb(points.narrow(0, start, count)), logQ.narrow(0, start, count));
        }
        LikelihoodEvaluator.PairedGap expected = LikelihoodEvaluator.PairedGap.Of(toy, points, logQ), actual = sums.Gap();
        Assert.Equal([1003L], sums.ExamplesPerRank);
        Assert.Equal(logQ.sum().item<double>(), sums.LogLikelihood, 1e-10 * Math.Abs(sums.LogLikelihood));
        Assert.Equal(expected.Mean, actual.Mean, 1e-10 * Math.Abs(expected.Mean));
        Assert.Equal(expected.StandardError, actual.StandardError, 1e-10 * expected.StandardError);
        Assert.Equal(expected.TrueDensityNll, actual.TrueDensityNll, 1e-10 * Math.Abs(expected.TrueDensityNll));
    }
}
