using static TorchSharp.torch;

namespace GenerativeSharp.Models.Diffusion;

/// <summary>
/// The simple objective of Ho et al. ("Denoising Diffusion Probabilistic Models", 2020, arXiv:2006.11239, eq. 14,
/// Algorithm 1): t uniform on the T steps, noise ~ N(0, I), loss = mean || noise - eps_theta(sqrt(abar_t) x_0 +
/// sqrt(1 - abar_t) noise, t) ||^2 over examples and coordinates.
/// </summary>
public static class DiffusionLoss
{
    /// <summary>The simple loss on x_0 [B, ...] (already in the model's space), a 0-d tensor with gradients.</summary>
    public static Tensor Simple(NoisePredictor network, NoiseSchedule schedule, Tensor x0, Generator? generator)
    {
        using var scope = NewDisposeScope();
        Tensor t = Runtime.SeededRandom.Integers(schedule.Timesteps, [x0.shape[0]], ScalarType.Int64, x0.device, generator);   // [B]
        Tensor noise = Runtime.SeededRandom.Normal(x0.shape, x0.dtype, x0.device, generator);
        Tensor xt = schedule.Noised(x0, t, noise);
        return (network(xt, t) - noise).square().mean().MoveToOuterDisposeScope();
    }
}
