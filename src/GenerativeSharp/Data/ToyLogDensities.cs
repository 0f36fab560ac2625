using static TorchSharp.torch;

namespace GenerativeSharp.Data;

/// <summary>
/// The true log-density of each toy of <see cref="ToyDensities"/>, float64 [n, 2] -> [n], for the
/// paired estimate of KL(data || model) (docs/evaluation.md). Closed forms where they exist
/// (checkerboard; 8gaussians, a Gaussian mixture; rings and circles, rings blurred by Gaussian
/// noise, through the Bessel function I0); a 1-D composite Simpson quadrature over the curve
/// parameter for moons, swissroll and 2spirals, which are curves blurred by Gaussian noise.
/// </summary>
internal static class ToyLogDensities
{
    private const int Chunk = 1024;   // points per quadrature batch: [Chunk, nodes] temporaries

    public static Tensor Checkerboard(Tensor x)
    {
        Tensor cells = (x / 2).floor();                                               // [n, 2], cells -2..1
        Tensor inside = cells.ge(-2).all(1).logical_and(cells.le(1).all(1))
            .logical_and((cells.select(1, 0) + cells.select(1, 1)).remainder(2).eq(0)); // alternate cells
        return where(inside, -Math.Log(32), double.NegativeInfinity);
    }

    public static Tensor EightGaussians(Tensor x)
    {
        Tensor angle = arange(8, dtype: ScalarType.Float64) * (Math.PI / 4);
        Tensor centres = stack([angle.cos(), angle.sin()], 1) * (4 / 1.414);            // [8, 2]
        double sigma = 0.5 / 1.414;
        Tensor squared = (x.unsqueeze(1) - centres.unsqueeze(0)).square().sum(2);      // [n, 8]
        return (-squared / (2 * sigma * sigma)).logsumexp(1) - Math.Log(8) - Math.Log(2 * Math.PI * sigma * sigma);
    }

    public static Tensor Circles(Tensor x) => BlurredRings(x, [3.0, 1.5], 0.24);

    public static Tensor Rings(Tensor x) => BlurredRings(x, [3.0, 2.25, 1.5, 0.75], 0.08);

    /// <summary>
    /// Equal-weight circles of the given radii with uniform angles, plus N(0, sigma^2 I). Averaging
    /// the Gaussian over the angle gives exp(-(rho - r)^2 / 2 sigma^2) i0e(rho r / sigma^2) / (2 pi sigma^2),
    /// with i0e(z) = exp(-z) I0(z) the scaled Bessel function.
    /// </summary>
    private static Tensor BlurredRings(Tensor x, double[] radii, double sigma)
    {
        Tensor rho = x.norm(1).unsqueeze(1);                                           // [n, 1]
        Tensor r = tensor(radii, dtype: ScalarType.Float64).unsqueeze(0);              // [1, K]
        double s2 = sigma * sigma;
        Tensor perRing = -(rho - r).square() / (2 * s2) + special.i0e(rho * r / s2).log();   // [n, K]
        return perRing.logsumexp(1) - Math.Log(radii.Length) - Math.Log(2 * Math.PI * s2);
    }

    /// <summary>Two half circles t in [0, pi], (cos t, sin t) and (1 - cos t, 0.5 - sin t), times 2, moved by (-1, -0.2), + N(0, 0.2^2 I).</summary>
    public static Tensor Moons(Tensor x)
    {
        Tensor t = Nodes(0, Math.PI, 2001, out Tensor logWeights);                     // [M]
        Tensor upper = stack([t.cos() * 2 - 1, t.sin() * 2 - 0.2], 1);                 // [M, 2]
        Tensor lower = stack([(1 - t.cos()) * 2 - 1, (0.5 - t.sin()) * 2 - 0.2], 1);
        Tensor curve = cat([upper, lower], 0);                                          // [2M, 2]
        Tensor logPrior = cat([logWeights, logWeights], 0) - Math.Log(2 * Math.PI);    // uniform t on each arc, arcs 1/2 each
        return BlurredCurve(x, curve, logPrior, 0.2);
    }

    /// <summary>t ~ U(1.5 pi, 4.5 pi), (t cos t, t sin t) / 5, + N(0, 0.2^2 I).</summary>
    public static Tensor SwissRoll(Tensor x)
    {
        Tensor t = Nodes(1.5 * Math.PI, 4.5 * Math.PI, 2001, out Tensor logWeights);
        Tensor curve = stack([t * t.cos(), t * t.sin()], 1) / 5;                        // [M, 2]
        return BlurredCurve(x, curve, logWeights - Math.Log(3 * Math.PI), 0.2);
    }

    /// <summary>
    /// s = 3 pi sqrt(U), so p(s) = 2 s / (3 pi)^2 on [0, 3 pi]; the arm (-s cos s, s sin s) plus a
    /// jitter uniform on [0, 1/2]^2, times +1 or -1, divided by 3, + N(0, 0.1^2 I). Given s and the
    /// sign each coordinate is a uniform interval of width 1/6 blurred by the Gaussian.
    /// </summary>
    public static Tensor TwoSpirals(Tensor x)
    {
        Tensor s = Nodes(0, 3 * Math.PI, 2001, out Tensor logWeights);                  // [M]
        Tensor logPrior = logWeights + (2 * s / (9 * Math.PI * Math.PI)).log();          // -inf at s = 0, weight 0 there
        Tensor arm = stack([-s.cos() * s, s.sin() * s], 1) / 3;                          // [M, 2]
        const double sigma = 0.1, width = 1.0 / 6;
        var parts = new List<Tensor>();
        for (long start = 0; start < x.shape[0]; start += Chunk)
        {
            using var scope = NewDisposeScope();
            Tensor xs = x.narrow(0, start, Math.Min(Chunk, x.shape[0] - start)).unsqueeze(1);   // [c, 1, 2]
            Tensor plus = LogBlurredInterval(xs - arm, 0, width, sigma).sum(2);              // [c, M], sign +1: [0, 1/6]
            Tensor minus = LogBlurredInterval(xs + arm, -width, 0, sigma).sum(2);            // sign -1: x - (-arm) in [-1/6, 0]
            Tensor both = cat([plus + logPrior, minus + logPrior], 1);                        // [c, 2M]
            parts.Add((both.logsumexp(1) - Math.Log(2)).MoveToOuterDisposeScope());
        }
        return cat(parts, 0);
    }

    /// <summary>log of the density at v of U(lo, hi) + N(0, sigma^2): log[(Phi((v - lo)/sigma) - Phi((v - hi)/sigma)) / (hi - lo)], stable in both tails.</summary>
    private static Tensor LogBlurredInterval(Tensor v, double lo, double hi, double sigma)
    {
        Tensor a = (v - lo) / sigma, b = (v - hi) / sigma;                                 // a > b
        double root2 = Math.Sqrt(2);
        Tensor right = special.erfc(b / root2) - special.erfc(a / root2);                 // 2 (Phi(a) - Phi(b)) from the upper tail
        Tensor left = special.erfc(-a / root2) - special.erfc(-b / root2);                // the same from the lower tail
        return (where(b.gt(0), right, left) / 2).log() - Math.Log(hi - lo);
    }

    /// <summary>log (1/M) sum over nodes of prior(t_j) N(x; curve_j, sigma^2 I), with the prior's log weights including the quadrature weights: [n].</summary>
    private static Tensor BlurredCurve(Tensor x, Tensor curve, Tensor logPrior, double sigma)
    {
        double s2 = sigma * sigma;
        var parts = new List<Tensor>();
        for (long start = 0; start < x.shape[0]; start += Chunk)
        {
            using var scope = NewDisposeScope();
            Tensor xs = x.narrow(0, start, Math.Min(Chunk, x.shape[0] - start));          // [c, 2]
            Tensor squared = cdist(xs, curve).square();                                    // [c, M]
            Tensor logDensity = (logPrior - squared / (2 * s2)).logsumexp(1) - Math.Log(2 * Math.PI * s2);
            parts.Add(logDensity.MoveToOuterDisposeScope());
        }
        return cat(parts, 0);
    }

    /// <summary>M (odd) equally spaced nodes on [a, b] and the log of their composite Simpson weights.</summary>
    private static Tensor Nodes(double a, double b, int m, out Tensor logWeights)
    {
        double h = (b - a) / (m - 1);
        var weights = new double[m];
        for (int j = 0; j < m; j++) weights[j] = h / 3 * (j == 0 || j == m - 1 ? 1 : j % 2 == 1 ? 4 : 2);
        logWeights = tensor(weights, dtype: ScalarType.Float64).log();
        return linspace(a, b, m, dtype: ScalarType.Float64);
    }
}
