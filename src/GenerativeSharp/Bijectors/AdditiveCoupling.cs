using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Bijectors;

/// <summary>
/// Additive coupling (Dinh, Krueger and Bengio 2014, "NICE: Non-linear Independent Components
/// Estimation", arXiv:1410.8516, eq. 4): x = b z + (1 - b)(z + m(b z)). Volume preserving: log |det| = 0.
/// </summary>
public sealed class AdditiveCoupling : Bijector
{
    private readonly nn.Module<Tensor, Tensor> conditioner;   // [B, ...shape] -> [B, C, ...]
    private readonly Tensor mask;                               // [...shape], 1 = passes unchanged

    public AdditiveCoupling(Tensor mask, ConditionerFactory factory) : base(nameof(AdditiveCoupling))
    {
        conditioner = factory(mask.shape, 1);
        this.mask = mask;
        RegisterComponents();
    }

    public override (Tensor Output, Tensor LogDet) Forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        Tensor b = mask.to(z.dtype);
        Tensor x = z + (1 - b) * conditioner.call(z * b);
        return (x.MoveToOuterDisposeScope(), ZeroLogDet(z).MoveToOuterDisposeScope());
    }

    public override (Tensor Output, Tensor LogDet) Inverse(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor b = mask.to(x.dtype);
        Tensor z = x - (1 - b) * conditioner.call(x * b);
        return (z.MoveToOuterDisposeScope(), ZeroLogDet(x).MoveToOuterDisposeScope());
    }
}
