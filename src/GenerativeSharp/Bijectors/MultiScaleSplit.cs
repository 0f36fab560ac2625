using static TorchSharp.torch;

namespace GenerativeSharp.Bijectors;

/// <summary>
/// The multi-scale architecture of Real NVP (Dinh et al. 2017, arXiv:1605.08803, section 3.6; Glow's
/// "split"): data -> latent factors out the first half of the channels of x [B, C, H, W] as latent
/// variables straight away and sends the rest through <c>inner</c> (which may squeeze further).
/// The latent is flat: [B, (C/2) H W + size of inner's latent]. log |det| is inner's.
/// </summary>
public sealed class MultiScaleSplit : Bijector
{
    private readonly Bijector inner;
    private readonly long[] dataShape;     // [C, H, W]
    private readonly long[] innerLatent;   // the shape inner's Inverse gives for [C - C/2, H, W]
    private readonly long kept;            // channels factored out: C/2

    public MultiScaleSplit(long[] dataShape, Bijector inner) : base(nameof(MultiScaleSplit))
    {
        if (dataShape.Length != 3 || dataShape[0] < 2)
            throw new ArgumentException($"a split needs images with at least two channels; got [{string.Join(", ", dataShape)}].");
        this.inner = inner;
        this.dataShape = dataShape;
        kept = dataShape[0] / 2;
        innerLatent = inner.LatentShape([dataShape[0] - kept, dataShape[1], dataShape[2]]);
        RegisterComponents();
    }

    public override (Tensor Output, Tensor LogDet) Forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        long b = z.shape[0], factored = kept * dataShape[1] * dataShape[2];
        Tensor z1 = z.narrow(1, 0, factored).view(b, kept, dataShape[1], dataShape[2]);      // [B, C/2, H, W]
        Tensor z2 = z.narrow(1, factored, z.shape[1] - factored).reshape([b, .. innerLatent]);
        (Tensor x2, Tensor logDet) = inner.Forward(z2);                                       // [B, C - C/2, H, W]
        return (cat([z1, x2], 1).MoveToOuterDisposeScope(), logDet.MoveToOuterDisposeScope());
    }

    public override (Tensor Output, Tensor LogDet) Inverse(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor x1 = x.narrow(1, 0, kept);
        (Tensor z2, Tensor logDet) = inner.Inverse(x.narrow(1, kept, x.shape[1] - kept));
        Tensor z = cat([x1.flatten(1), z2.flatten(1)], 1);                                    // [B, D]
        return (z.MoveToOuterDisposeScope(), logDet.MoveToOuterDisposeScope());
    }

    public override long[] LatentShape(long[] shape) => [kept * dataShape[1] * dataShape[2] + innerLatent.Aggregate(1L, (a, b) => a * b)];
}
