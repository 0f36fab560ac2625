using static TorchSharp.torch;

namespace GenerativeSharp.Evaluation;

/// <summary>
/// Mode coverage on a mixture of isotropic Gaussians (8gaussians), as in the mode-collapse
/// experiments of Metz et al., "Unrolled GANs" (2017, arXiv:1611.02163) and Srivastava et al.,
/// "VEEGAN" (2017): a sample is of high quality when it lies within 3 standard deviations of some
/// mode; a mode is covered when at least one high-quality sample is nearest to it.
/// </summary>
public static class ModeCoverage
{
    /// <summary>Counts covered modes and the high-quality share of <paramref name="samples"/> [N, 2]; modes [K, 2].</summary>
    public static ModeCoverageResult Measure(Tensor samples, Tensor modes, double std, int minimumPerMode = 1)
    {
        if (samples.dim() != 2 || modes.dim() != 2 || samples.shape[1] != modes.shape[1])
            throw new ArgumentException($"expected samples [N, d] and modes [K, d]; got [{string.Join(", ", samples.shape)}] and [{string.Join(", ", modes.shape)}].");
        using var scope = NewDisposeScope();
        Tensor distances = cdist(samples.to(ScalarType.Float64), modes.to(ScalarType.Float64));   // [N, K]
        var (nearest, index) = distances.min(1);
        Tensor good = nearest <= 3 * std;
        Tensor counts = bincount(index.masked_select(good), minlength: modes.shape[0]);
        long covered = (counts >= minimumPerMode).sum().item<long>();
        double share = good.to(ScalarType.Float64).mean().item<double>();
        return new ModeCoverageResult((int)covered, (int)modes.shape[0], share);
    }
}

/// <summary>How many of the modes are covered, and the share of samples within 3 standard deviations of a mode.</summary>
public sealed record ModeCoverageResult(int ModesCovered, int Modes, double HighQualityShare);

/// <summary>The 8gaussians mixture of docs/evaluation.md: centres at radius 4 on 8 directions, std 0.5, all divided by 1.414.</summary>
public static class EightGaussiansModes
{
    public const double Std = 0.5 / 1.414;

    /// <summary>The 8 centres, float64 [8, 2].</summary>
    public static Tensor Centres()
    {
        var values = new double[16];
        for (int i = 0; i < 8; i++)
        {
            values[2 * i] = 4 * Math.Cos(i * Math.PI / 4) / 1.414;
            values[2 * i + 1] = 4 * Math.Sin(i * Math.PI / 4) / 1.414;
        }
        return tensor(values, [8, 2]);
    }
}

/// <summary>
/// The 8 squares of toy:checkerboard (docs/evaluation.md): cells [2i, 2i + 2] x [2j, 2j + 2] with i, j in -2..1 and i - j
/// even. As modes: a sample is of high quality when it lies in one of the squares; a square is covered when a sample does.
/// </summary>
public static class CheckerboardModes
{
    /// <summary>Counts covered squares and the share of <paramref name="samples"/> [N, 2] inside any square.</summary>
    public static ModeCoverageResult Measure(Tensor samples)
    {
        if (samples.dim() != 2 || samples.shape[1] != 2)
            throw new ArgumentException($"expected samples [N, 2]; got [{string.Join(", ", samples.shape)}].");
        using var scope = NewDisposeScope();
        Tensor cells = (samples.to(ScalarType.Float64) / 2).floor().to(ScalarType.Int64);           // [N, 2]: (i, j)
        Tensor i = cells[.., 0], j = cells[.., 1];
        Tensor inside = i.ge(-2) & i.le(1) & j.ge(-2) & j.le(1) & (i - j).remainder(2).eq(0);
        Tensor square = ((i + 2) * 4 + (j + 2)).masked_select(inside);                             // 0..15, 8 of them used
        long covered = bincount(square, minlength: 16).gt(0).sum().item<long>();
        double share = samples.shape[0] == 0 ? 0 : inside.to(ScalarType.Float64).mean().item<double>();
        return new ModeCoverageResult((int)covered, 8, share);
    }
}
