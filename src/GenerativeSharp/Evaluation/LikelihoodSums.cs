using GenerativeSharp.Distributed;
using static TorchSharp.torch;

namespace GenerativeSharp.Evaluation;

/// <summary>
/// The float64 sums behind <see cref="LikelihoodEvaluator"/>'s averages: log q(x), the ELBO, and with a known density the
/// paired differences d = log p(x) - log q(x) (their sum and sum of squares) and log p(x), plus the examples each rank
/// evaluated. A data-parallel evaluation, where every rank holds the sums of its own shard, adds them over the ranks with
/// one MPI_Allreduce (<see cref="Reduce"/>); the averages are then the whole test set's, as one process computes them, up to
/// the float rounding of the summation order.
/// </summary>
internal sealed class LikelihoodSums
{
    private const int LogLikelihoodIndex = 0, ElboIndex = 1, GapIndex = 2, GapSquaresIndex = 3, TrueLogProbIndex = 4, Fixed = 5;
    private readonly double[] values;
    private readonly int rank;

    /// <param name="rank">this process's rank (0 in one process)</param>
    /// <param name="size">the number of ranks (1 in one process)</param>
    public LikelihoodSums(int rank, int size)
    {
        values = new double[Fixed + size];
        this.rank = rank;
    }

    /// <summary>The sum of log q(x) over all examples evaluated.</summary>
    public double LogLikelihood => values[LogLikelihoodIndex];

    /// <summary>The sum of the ELBO over all examples evaluated.</summary>
    public double Elbo => values[ElboIndex];

    /// <summary>The examples each rank evaluated, in rank order (after <see cref="Reduce"/>; before it, only this rank's is filled).</summary>
    public long[] ExamplesPerRank => [.. values.Skip(Fixed).Select(v => (long)v)];

    /// <summary>All examples evaluated.</summary>
    public long Examples => ExamplesPerRank.Sum();

    /// <summary>Adds one batch's log q(x) [b] (any float dtype, any device) and counts its examples as this rank's.</summary>
    public void AddLogLikelihood(Tensor logQ)
    {
        using Tensor wide = logQ.to(ScalarType.Float64).cpu();
        values[LogLikelihoodIndex] += wide.sum().item<double>();
        values[Fixed + rank] += wide.shape[0];
    }

    /// <summary>Adds one batch's ELBO [b].</summary>
    public void AddElbo(Tensor elbo)
    {
        using Tensor wide = elbo.to(ScalarType.Float64).cpu();
        values[ElboIndex] += wide.sum().item<double>();
    }

    /// <summary>Adds one batch's paired differences: the true log density <paramref name="logP"/> and the model's <paramref name="logQ"/>, [b].</summary>
    public void AddPairs(Tensor logP, Tensor logQ)
    {
        using var scope = NewDisposeScope();
        Tensor p = logP.to(ScalarType.Float64).cpu(), d = p - logQ.to(ScalarType.Float64).cpu();
        values[GapIndex] += d.sum().item<double>();
        values[GapSquaresIndex] += d.square().sum().item<double>();
        values[TrueLogProbIndex] += p.sum().item<double>();
    }

    /// <summary>Sums every value over the ranks, in place, with one MPI_Allreduce (a collective: all ranks call it); nothing in one process.</summary>
    public void Reduce(DataParallel? parallel) => parallel?.Communicator.AllReduceSum(values);

    /// <summary>
    /// The paired KL gap: mean of d, its standard error (the unbiased standard deviation from the sums, over sqrt n), and the
    /// true density's NLL on the test points.
    /// </summary>
    public LikelihoodEvaluator.PairedGap Gap()
    {
        long n = Examples;
        double mean = values[GapIndex] / n;
        double variance = n > 1 ? Math.Max(0, (values[GapSquaresIndex] - values[GapIndex] * mean) / (n - 1)) : double.NaN;
        return new LikelihoodEvaluator.PairedGap(mean, Math.Sqrt(variance) / Math.Sqrt(n), -values[TrueLogProbIndex] / n);
    }
}
