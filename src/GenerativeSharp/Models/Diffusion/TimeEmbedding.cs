using static TorchSharp.torch;

namespace GenerativeSharp.Models.Diffusion;

/// <summary>
/// The sinusoidal embedding of a time step (Vaswani et al. 2017, as Ho et al. 2020 use it): for t [B] and an even width
/// d, [sin(t w_k), cos(t w_k)] with w_k = 10000^(-k / (d/2 - 1)), k = 0 .. d/2 - 1 -> [B, d].
/// </summary>
public static class TimeEmbedding
{
    public static Tensor Sinusoidal(Tensor t, int width)
    {
        if (width < 2 || width % 2 != 0) throw new ArgumentOutOfRangeException(nameof(width), width, "the width must be even and at least 2.");
        using var scope = NewDisposeScope();
        int half = width / 2;
        double step = half > 1 ? Math.Log(10_000) / (half - 1) : 0;
        Tensor frequencies = (arange(half, ScalarType.Float32, t.device) * -step).exp();         // [d/2]
        Tensor angles = t.to(ScalarType.Float32).unsqueeze(1) * frequencies.unsqueeze(0);        // [B, d/2]
        return cat([angles.sin(), angles.cos()], 1).MoveToOuterDisposeScope();
    }
}
