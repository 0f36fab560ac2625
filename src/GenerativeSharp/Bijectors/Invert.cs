using static TorchSharp.torch;

namespace GenerativeSharp.Bijectors;

/// <summary>The inverse of a bijector: its Forward is the inner Inverse and vice versa.</summary>
public sealed class Invert : Bijector
{
    private readonly Bijector inner;

    public Invert(Bijector inner) : base(nameof(Invert))
    {
        this.inner = inner;
        RegisterComponents();
    }

    public override (Tensor Output, Tensor LogDet) Forward(Tensor z) => inner.Inverse(z);

    public override (Tensor Output, Tensor LogDet) Inverse(Tensor x) => inner.Forward(x);

    /// <summary>Only defined for shape-keeping inner bijectors.</summary>
    public override long[] LatentShape(long[] dataShape) => dataShape;
}
