using static TorchSharp.torch;

namespace GenerativeSharp.Models.Diffusion.Samplers;

/// <summary>
/// A reverse process: which time steps it visits (descending 0-based indices, the first T - 1) and, for one move
/// from index t to index <c>previous</c> (-1: the data), the Gaussian it draws x_previous from. The loop that draws
/// is <see cref="DiffusionSampling.Run"/>; a sampler holds no state, so one instance serves every call.
/// </summary>
public interface IDiffusionSampler
{
    /// <summary>"ddpm" or "ddim".</summary>
    string Name { get; }

    /// <summary>The time-step indices visited, descending from T - 1.</summary>
    IReadOnlyList<int> Timesteps(NoiseSchedule schedule);

    /// <summary>
    /// The mean [B, ...] and variance (broadcastable) of x_previous given x_t, [B, ...]; <paramref name="clip"/> clamps the
    /// predicted x_0 to [-1, 1] (images).
    /// </summary>
    (Tensor Mean, Tensor Variance) Transition(NoisePredictor network, NoiseSchedule schedule, Tensor xt, int t, int previous, bool clip);
}
