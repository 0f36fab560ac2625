using static TorchSharp.torch;

namespace GenerativeSharp.Models.Diffusion.Samplers;

/// <summary>
/// Ancestral sampling of a DDPM (Ho et al., "Denoising Diffusion Probabilistic Models", 2020, arXiv:2006.11239,
/// Algorithm 2): all T steps, x_{t-1} ~ N(mu~_t(x_t, x0_hat), sigma_t^2 I) with x0_hat from the predicted noise and
/// sigma_t^2 fixed to beta~_t or beta_t; the last step returns the mean.
/// </summary>
public sealed class AncestralSampler(VarianceChoice variance) : IDiffusionSampler
{
    public string Name => "ddpm";

    public VarianceChoice Variance { get; } = variance;

    public IReadOnlyList<int> Timesteps(NoiseSchedule schedule) => Enumerable.Range(0, schedule.Timesteps).Reverse().ToArray();

    public (Tensor Mean, Tensor Variance) Transition(NoisePredictor network, NoiseSchedule schedule, Tensor xt, int t, int previous, bool clip)
    {
        if (previous != t - 1) throw new ArgumentException($"ancestral sampling steps from t to t - 1; got {t} -> {previous}.", nameof(previous));
        using var scope = NewDisposeScope();
        Tensor steps = full([xt.shape[0]], t, ScalarType.Int64, xt.device);
        Tensor x0 = schedule.PredictedOriginal(xt, steps, network(xt, steps));
        if (clip) x0 = x0.clamp(-1, 1);
        var (mean, _) = schedule.Posterior(x0, xt, steps);
        Tensor variance = NoiseSchedule.Gather(schedule.ReverseVariances(Variance), steps, xt);
        return (mean.MoveToOuterDisposeScope(), variance.MoveToOuterDisposeScope());
    }
}
