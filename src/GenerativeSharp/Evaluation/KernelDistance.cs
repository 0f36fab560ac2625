using static TorchSharp.torch;

namespace GenerativeSharp.Evaluation;

/// <summary>
/// Kernel distance (KID; Bińkowski et al., "Demystifying MMD GANs", ICLR 2018, arXiv:1801.01401):
/// the unbiased estimate of the squared MMD with the cubic polynomial kernel k(x, y) = (x.y / d + 1)^3,
/// averaged over random subsets of both feature sets; the spread over subsets is reported with it.
/// Unbiased: on two samples of one distribution its expectation is 0 (single estimates may be negative).
/// </summary>
public static class KernelDistance
{
    /// <summary>KID mean and standard deviation over <paramref name="subsets"/> subsets of <paramref name="subsetSize"/> (or fewer, if a set is smaller).</summary>
    public static KernelDistanceResult Between(Tensor a, Tensor b, int subsets = 100, int subsetSize = 1000, long seed = 0)
    {
        FrechetDistance.CheckFeatures(a, b);
        if (subsets < 1) throw new ArgumentOutOfRangeException(nameof(subsets), subsets, "need at least one subset");
        using var scope = NewDisposeScope();
        Tensor x = a.to(ScalarType.Float64), y = b.to(ScalarType.Float64);
        int m = (int)Math.Min(subsetSize, Math.Min(x.shape[0], y.shape[0]));
        using var generator = new Generator((ulong)seed);
        var estimates = new double[subsets];
        for (int i = 0; i < subsets; i++)
        {
            using var inner = NewDisposeScope();
            Tensor xs = x.index_select(0, randperm(x.shape[0], generator: generator).narrow(0, 0, m));   // [m, d]
            Tensor ys = y.index_select(0, randperm(y.shape[0], generator: generator).narrow(0, 0, m));
            estimates[i] = UnbiasedMmdSquared(xs, ys);
        }
        double mean = estimates.Average();
        double std = Math.Sqrt(estimates.Sum(e => (e - mean) * (e - mean)) / Math.Max(1, subsets - 1));
        return new KernelDistanceResult(mean, subsets > 1 ? std : 0, subsets, m);
    }

    /// <summary>
    /// The unbiased MMD^2 of two equal-size sets [m, d]: the mean of k over distinct pairs within x, plus the
    /// same within y, minus twice the mean of k over all cross pairs.
    /// </summary>
    public static double UnbiasedMmdSquared(Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        long m = x.shape[0], d = x.shape[1];
        Tensor kxx = (x.matmul(x.t()) / d + 1).pow(3);                       // [m, m]
        Tensor kyy = (y.matmul(y.t()) / d + 1).pow(3);
        Tensor kxy = (x.matmul(y.t()) / d + 1).pow(3);
        double withinX = (kxx.sum() - kxx.diagonal().sum()).item<double>() / (m * (m - 1));
        double withinY = (kyy.sum() - kyy.diagonal().sum()).item<double>() / (m * (m - 1));
        double cross = kxy.sum().item<double>() / (m * m);
        return withinX + withinY - 2 * cross;
    }
}

/// <summary>KID: mean and standard deviation of the unbiased MMD^2 over subsets.</summary>
public sealed record KernelDistanceResult(double Mean, double StandardDeviation, int Subsets, int SubsetSize);
