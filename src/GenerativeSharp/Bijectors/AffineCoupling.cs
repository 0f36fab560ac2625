using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Bijectors;

/// <summary>
/// Affine coupling (Dinh et al. 2017, "Density estimation using Real NVP", arXiv:1605.08803, eq. 9):
/// with a binary mask b, x = b z + (1 - b) (z exp(s(b z)) + t(b z)), so the Jacobian is triangular
/// and log |det dx/dz| = sum (1 - b) s. The log-scale is s = exp(g) tanh(raw) with a learned
/// per-channel gain g (starting at 1), which keeps early training stable.
/// </summary>
public sealed class AffineCoupling : Bijector
{
    private readonly nn.Module<Tensor, Tensor> conditioner;   // [B, ...shape] -> [B, 2 C, ...]
    private readonly Parameter gain;                            // [C]: log of the tanh range
    private readonly Tensor mask;                               // [...shape], 1 = passes unchanged

    public AffineCoupling(Tensor mask, ConditionerFactory factory) : base(nameof(AffineCoupling))
    {
        conditioner = factory(mask.shape, 2);
        gain = nn.Parameter(zeros(mask.shape[0]));
        this.mask = mask;
        RegisterComponents();
    }

    public override (Tensor Output, Tensor LogDet) Forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        Tensor b = mask.to(z.dtype);
        (Tensor s, Tensor t) = ScaleAndShift(z * b, b);
        Tensor x = z * b + (1 - b) * (z * s.exp() + t);
        return (x.MoveToOuterDisposeScope(), SumPerExample(s).MoveToOuterDisposeScope());
    }

    public override (Tensor Output, Tensor LogDet) Inverse(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor b = mask.to(x.dtype);
        (Tensor s, Tensor t) = ScaleAndShift(x * b, b);
        Tensor z = x * b + (1 - b) * ((x - t) * (-s).exp());
        return (z.MoveToOuterDisposeScope(), (-SumPerExample(s)).MoveToOuterDisposeScope());
    }

    /// <summary>s and t, both zero where the mask passes: [B, ...shape] each.</summary>
    private (Tensor S, Tensor T) ScaleAndShift(Tensor passed, Tensor b)
    {
        Tensor h = conditioner.call(passed);                      // [B, 2C, ...]
        Tensor[] parts = h.chunk(2, 1);                           // 2 x [B, C, ...]
        long[] gainShape = [1, mask.shape[0], .. Enumerable.Repeat(1L, (int)mask.dim() - 1)];
        Tensor s = parts[0].tanh() * gain.exp().view(gainShape) * (1 - b);
        Tensor t = parts[1] * (1 - b);
        return (s, t);
    }
}
