using static TorchSharp.torch;

namespace GenerativeSharp.Bijectors;

/// <summary>
/// The squeeze of Real NVP (Dinh et al. 2017, arXiv:1605.08803, section 3.6): data -> latent turns
/// each 2x2 block of pixels into 4 channels, [B, C, H, W] -> [B, 4C, H/2, W/2]. A pure rearrangement:
/// log |det| = 0.
/// </summary>
public sealed class Squeeze : Bijector
{
    public Squeeze() : base(nameof(Squeeze)) { }

    public override (Tensor Output, Tensor LogDet) Forward(Tensor z)
    {
        long b = z.shape[0], c = z.shape[1] / 4, h = z.shape[2], w = z.shape[3];
        Tensor x = z.view(b, c, 2, 2, h, w)              // [B, C, 2, 2, H/2, W/2]
            .permute(0, 1, 4, 2, 5, 3)                   // [B, C, H/2, 2, W/2, 2]
            .reshape(b, c, h * 2, w * 2);                // [B, C, H, W]
        return (x, ZeroLogDet(z));
    }

    public override (Tensor Output, Tensor LogDet) Inverse(Tensor x)
    {
        long b = x.shape[0], c = x.shape[1], h = x.shape[2] / 2, w = x.shape[3] / 2;
        if (x.shape[2] % 2 != 0 || x.shape[3] % 2 != 0)
            throw new ArgumentException($"squeeze needs even height and width; got [{string.Join(", ", x.shape)}].");
        Tensor z = x.view(b, c, h, 2, w, 2)              // [B, C, H/2, 2, W/2, 2]
            .permute(0, 1, 3, 5, 2, 4)                   // [B, C, 2, 2, H/2, W/2]
            .reshape(b, c * 4, h, w);                    // [B, 4C, H/2, W/2]
        return (z, ZeroLogDet(x));
    }

    public override long[] LatentShape(long[] dataShape) => [dataShape[0] * 4, dataShape[1] / 2, dataShape[2] / 2];
}
