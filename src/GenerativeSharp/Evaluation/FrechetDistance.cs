using static TorchSharp.torch;

namespace GenerativeSharp.Evaluation;

/// <summary>
/// The Fréchet distance between two Gaussians fitted to feature sets (the "FID" of Heusel et al.,
/// "GANs Trained by a Two Time-Scale Update Rule Converge to a Local Nash Equilibrium", 2017,
/// arXiv:1706.08500): |mu_a - mu_b|^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2)). Computed in float64.
/// Tr((S_a S_b)^(1/2)) = sum_i sqrt(lambda_i) of the symmetric PSD matrix S_a^(1/2) S_b S_a^(1/2), which
/// has the same eigenvalues as S_a S_b, so two symmetric eigendecompositions suffice (no complex sqrtm).
/// </summary>
public static class FrechetDistance
{
    /// <summary>FID between feature sets a [N, d] and b [M, d] (rows are examples).</summary>
    public static double Between(Tensor a, Tensor b)
    {
        CheckFeatures(a, b);
        using var scope = NewDisposeScope();
        var (muA, sigmaA) = Moments(a);
        var (muB, sigmaB) = Moments(b);
        return FromMoments(muA, sigmaA, muB, sigmaB);
    }

    /// <summary>FID between N(muA, sigmaA) and N(muB, sigmaB); means [d], covariances [d, d].</summary>
    public static double FromMoments(Tensor muA, Tensor sigmaA, Tensor muB, Tensor sigmaB)
    {
        using var scope = NewDisposeScope();
        Tensor ma = muA.to(ScalarType.Float64), mb = muB.to(ScalarType.Float64);
        Tensor sa = sigmaA.to(ScalarType.Float64), sb = sigmaB.to(ScalarType.Float64);
        Tensor rootA = SymmetricSqrt(sa);                                     // S_a^(1/2), [d, d]
        Tensor inner = rootA.matmul(sb).matmul(rootA);                        // symmetric PSD, same spectrum as S_a S_b
        inner = (inner + inner.t()) / 2;
        Tensor traceRoot = linalg.eigvalsh(inner).clamp_min(0).sqrt().sum();
        double meanTerm = (ma - mb).square().sum().item<double>();
        double traceTerm = (sa.trace() + sb.trace() - 2 * traceRoot).item<double>();
        return meanTerm + traceTerm;                                          // not clamped: a negative value shows a numerical problem
    }

    /// <summary>Mean [d] and unbiased covariance [d, d] of x [N, d], in float64.</summary>
    public static (Tensor Mean, Tensor Covariance) Moments(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor x64 = x.to(ScalarType.Float64);
        Tensor mu = x64.mean([0]);
        Tensor centred = x64 - mu;                                            // [N, d]
        Tensor sigma = centred.t().matmul(centred) / (x.shape[0] - 1);
        return (mu.MoveToOuterDisposeScope(), sigma.MoveToOuterDisposeScope());
    }

    private static Tensor SymmetricSqrt(Tensor s)
    {
        using var scope = NewDisposeScope();
        var (values, vectors) = linalg.eigh((s + s.t()) / 2);
        Tensor root = vectors.matmul(diag(values.clamp_min(0).sqrt())).matmul(vectors.t());
        return root.MoveToOuterDisposeScope();
    }

    internal static void CheckFeatures(Tensor a, Tensor b)
    {
        if (a.dim() != 2 || b.dim() != 2 || a.shape[1] != b.shape[1])
            throw new ArgumentException($"expected two feature sets [N, d] and [M, d]; got [{string.Join(", ", a.shape)}] and [{string.Join(", ", b.shape)}].");
        if (a.shape[0] < 2 || b.shape[0] < 2)
            throw new ArgumentException("each feature set needs at least 2 examples.");
    }
}
