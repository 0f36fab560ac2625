using static TorchSharp.torch;

namespace GenerativeSharp.Models.Diffusion.Samplers;

/// <summary>The reverse-process loop every <see cref="IDiffusionSampler"/> shares: from x_T down the sampler's steps.</summary>
public static class DiffusionSampling
{
    /// <summary>
    /// Runs <paramref name="sampler"/> from <paramref name="xT"/> [B, ...] to x_0: at each step x_prev = mean + sqrt(variance) z,
    /// z ~ N(0, I) from <paramref name="generator"/>, and the mean alone at the last step. <paramref name="progress"/> hears
    /// (steps done, steps in all).
    /// </summary>
    public static Tensor Run(IDiffusionSampler sampler, NoisePredictor network, NoiseSchedule schedule, Tensor xT, Generator? generator,
        bool clip, Action<int, int>? progress = null)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        IReadOnlyList<int> steps = sampler.Timesteps(schedule);
        Tensor x = xT;
        for (int i = 0; i < steps.Count; i++)
        {
            using var stepScope = NewDisposeScope();
            int previous = i + 1 < steps.Count ? steps[i + 1] : -1;
            var (mean, variance) = sampler.Transition(network, schedule, x, steps[i], previous, clip);
            x = previous < 0 ? mean : mean + variance.sqrt() * Runtime.SeededRandom.Normal(x.shape, x.dtype, x.device, generator);
            x = x.MoveToOuterDisposeScope();
            progress?.Invoke(i + 1, steps.Count);
        }
        return x.MoveToOuterDisposeScope();
    }
}
