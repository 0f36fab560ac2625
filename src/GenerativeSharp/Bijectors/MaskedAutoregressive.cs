using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Bijectors;

/// <summary>
/// The masked autoregressive transform of MAF (Papamakarios, Pavlakou and Murray 2017, "Masked
/// Autoregressive Flow for Density Estimation", arXiv:1705.07057, eqs. 2-4) on vectors [B, D]:
/// latent -> data x_i = z_i exp(alpha_i) + mu_i with (mu_i, alpha_i) functions of x_&lt;i given by a
/// <see cref="MadeConditioner"/>. Data -> latent is one pass, z = (x - mu(x)) exp(-alpha(x)),
/// log |det dz/dx| = -sum alpha; latent -> data is sequential (D passes). alpha is soft-clamped to
/// (-<see cref="MaxLogScale"/>, <see cref="MaxLogScale"/>) for stability.
/// </summary>
public sealed class MaskedAutoregressive : Bijector
{
    /// <summary>Bound of |alpha| per layer.</summary>
    public const double MaxLogScale = 3.0;

    private readonly MadeConditioner conditioner;
    private readonly long dimensions;

    public MaskedAutoregressive(long dimensions, int hidden, int depth) : base(nameof(MaskedAutoregressive))
    {
        conditioner = new MadeConditioner(dimensions, hidden, depth, outputsPerInput: 2);
        this.dimensions = dimensions;
        RegisterComponents();
    }

    public override (Tensor Output, Tensor LogDet) Forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        Tensor x = zeros_like(z);
        Tensor alpha = x;
        // Pass i fixes x_i: its parameters depend only on x_<i, already final.
        for (long i = 0; i < dimensions; i++)
        {
            (Tensor mu, alpha) = Parameters(x);
            x = z * alpha.exp() + mu;
        }
        return (x.MoveToOuterDisposeScope(), alpha.sum(1).MoveToOuterDisposeScope());
    }

    public override (Tensor Output, Tensor LogDet) Inverse(Tensor x)
    {
        using var scope = NewDisposeScope();
        (Tensor mu, Tensor alpha) = Parameters(x);
        Tensor z = (x - mu) * (-alpha).exp();
        return (z.MoveToOuterDisposeScope(), (-alpha.sum(1)).MoveToOuterDisposeScope());
    }

    /// <summary>The autoregressive (mu, alpha) of <paramref name="x"/>, each [B, D].</summary>
    public (Tensor Mu, Tensor Alpha) Parameters(Tensor x)
    {
        if (x.dim() != 2 || x.shape[1] != dimensions)
            throw new ArgumentException($"expected vectors [B, {dimensions}]; got [{string.Join(", ", x.shape)}].");
        Tensor h = conditioner.call(x);                            // [B, 2, D]
        Tensor alpha = (h.select(1, 1) / MaxLogScale).tanh() * MaxLogScale;
        return (h.select(1, 0), alpha);
    }
}
