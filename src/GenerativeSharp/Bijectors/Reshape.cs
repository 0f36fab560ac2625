using static TorchSharp.torch;

namespace GenerativeSharp.Bijectors;

/// <summary>Data [B, ...dataShape] -> latent [B, ...latentShape] with the same number of entries; log |det| = 0.</summary>
public sealed class Reshape : Bijector
{
    private readonly long[] dataShape;
    private readonly long[] latentShape;

    public Reshape(long[] dataShape, long[] latentShape) : base(nameof(Reshape))
    {
        if (dataShape.Aggregate(1L, (a, b) => a * b) != latentShape.Aggregate(1L, (a, b) => a * b))
            throw new ArgumentException($"cannot reshape [{string.Join(", ", dataShape)}] to [{string.Join(", ", latentShape)}].");
        this.dataShape = dataShape;
        this.latentShape = latentShape;
    }

    public override (Tensor Output, Tensor LogDet) Forward(Tensor z) => (z.reshape([z.shape[0], .. dataShape]), ZeroLogDet(z));

    public override (Tensor Output, Tensor LogDet) Inverse(Tensor x) => (x.reshape([x.shape[0], .. latentShape]), ZeroLogDet(x));

    public override long[] LatentShape(long[] shape) => latentShape;
}
