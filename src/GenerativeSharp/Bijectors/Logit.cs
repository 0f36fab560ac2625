using static TorchSharp.torch;

namespace GenerativeSharp.Bijectors;

/// <summary>
/// The logit preprocessing of Real NVP (Dinh et al. 2017, arXiv:1605.08803, section 4.1) for data
/// y in (0, 1): data -> latent s = a + (1 - 2a) y, z = logit(s), with
/// log |det dz/dy| = sum [ln(1 - 2a) - ln s - ln(1 - s)] (docs/evaluation.md: the correction that must be
/// counted); latent -> data y = (sigmoid(z) - a) / (1 - 2a).
/// </summary>
public sealed class Logit : Bijector
{
    private readonly double alpha;

    public Logit(double alpha) : base(nameof(Logit))
    {
        if (!(alpha >= 0 && alpha < 0.5)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "expected 0 <= alpha < 0.5");
        this.alpha = alpha;
    }

    public override (Tensor Output, Tensor LogDet) Forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        Tensor y = (z.sigmoid() - alpha) / (1 - 2 * alpha);
        // ln s = -softplus(-z), ln(1 - s) = -softplus(z)
        Tensor logDet = SumPerExample(-nn.functional.softplus(-z) - nn.functional.softplus(z) - Math.Log(1 - 2 * alpha));
        return (y.MoveToOuterDisposeScope(), logDet.MoveToOuterDisposeScope());
    }

    public override (Tensor Output, Tensor LogDet) Inverse(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor s = alpha + (1 - 2 * alpha) * x;
        Tensor logS = s.log(), log1mS = (1 - s).log();
        Tensor z = logS - log1mS;
        Tensor logDet = SumPerExample(Math.Log(1 - 2 * alpha) - logS - log1mS);
        return (z.MoveToOuterDisposeScope(), logDet.MoveToOuterDisposeScope());
    }
}
