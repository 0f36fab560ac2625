using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Diffusion;

/// <summary>
/// A noise-prediction network eps_theta(x_t, t, c): <see cref="Forward"/> takes an optional class context (see
/// <see cref="ClassEmbedding"/>), which an unconditional network must not be given; the two-input
/// <c>forward(x_t, t)</c> is the unconditional prediction (the null class of a conditional network).
/// </summary>
public abstract class NoiseNetwork(string name) : nn.Module<Tensor, Tensor, Tensor>(name)
{
    /// <summary>x_t [B, ...event], t [B] int64 -> predicted noise [B, ...event] (the null class when conditional).</summary>
    public override Tensor forward(Tensor xt, Tensor t) => Forward(xt, t, null);

    /// <summary>
    /// x_t [B, ...event], t [B] int64 and a context: int64 labels [B] in [0, N] (N the null class), or float class
    /// weights [B, N] (rows summing to 1), or null for the null class -> predicted noise [B, ...event].
    /// </summary>
    public abstract Tensor Forward(Tensor xt, Tensor t, Tensor? context);
}
