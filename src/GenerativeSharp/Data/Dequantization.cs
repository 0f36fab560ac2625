using TorchSharp;

namespace GenerativeSharp.Data;

/// <summary>
/// Uniform dequantization of 8-bit images for continuous densities (docs/evaluation.md; Theis, van den
/// Oord and Bethge 2016, "A note on the evaluation of generative models", arXiv:1511.01844): the
/// loaded intensities k/255 become y = (k + u)/256 with u ~ U[0, 1), so that
/// -log P(k) &lt;= E_u[-log p(y)] + D ln 256 and bits/dim = E[-log p(y)] / (D ln 2) + 8.
/// </summary>
public static class Dequantization
{
    /// <summary>ln 256: the log-volume of one bin of y, per dimension.</summary>
    public static readonly double LogBinsPerDimension = Math.Log(256);

    /// <summary>The 8-bit values k in {0..255} of intensities k/255 (float, same shape).</summary>
    public static torch.Tensor Levels(torch.Tensor intensities) => (intensities * 255).round().clamp(0, 255);

    /// <summary>y = (k + u) / 256, u ~ U[0, 1) drawn from <paramref name="generator"/> (drawn on the CPU when the data is elsewhere: see SeededRandom).</summary>
    public static torch.Tensor Uniform(torch.Tensor intensities, torch.Generator? generator)
    {
        using var scope = torch.NewDisposeScope();
        torch.Tensor u = GenerativeSharp.Runtime.SeededRandom.Uniform(intensities.shape, intensities.dtype, intensities.device, generator);
        return ((Levels(intensities) + u) / 256).MoveToOuterDisposeScope();
    }

    /// <summary>y = (k + 1/2) / 256: the centre of each bin (a deterministic encoding).</summary>
    public static torch.Tensor Midpoint(torch.Tensor intensities)
    {
        using var scope = torch.NewDisposeScope();
        return ((Levels(intensities) + 0.5) / 256).MoveToOuterDisposeScope();
    }

    /// <summary>The inverse of <see cref="Uniform"/> up to the noise: y -> floor(256 y) / 255, clamped to [0, 1].</summary>
    public static torch.Tensor Quantize(torch.Tensor y)
    {
        using var scope = torch.NewDisposeScope();
        return ((y * 256).floor().clamp(0, 255) / 255).MoveToOuterDisposeScope();
    }
}
