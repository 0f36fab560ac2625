using static TorchSharp.torch;

namespace GenerativeSharp.Models.Diffusion.Samplers;

/// <summary>
/// DDIM (Song, Meng and Ermon, "Denoising Diffusion Implicit Models", ICLR 2021, arXiv:2010.02502, eq. 12): S of the T
/// steps, t_i = floor(i T / S), x_prev = sqrt(abar_prev) x0_hat + sqrt(1 - abar_prev - sigma^2) eps_hat + sigma z with
/// sigma^2 = eta^2 (1 - abar_prev) / (1 - abar_t) (1 - abar_t / abar_prev). eta = 0 is deterministic (and
/// <see cref="Encode"/> inverts it); eta = 1 with S = T is ancestral sampling with sigma_t^2 = beta~_t.
/// </summary>
public sealed class DdimSampler : IDiffusionSampler
{
    public DdimSampler(int steps, double eta = 0)
    {
        if (steps < 1) throw new InvalidInputException($"--steps {steps}: expected an integer >= 1.");
        if (!(eta >= 0) || double.IsInfinity(eta)) throw new InvalidInputException($"--eta {eta}: expected a number >= 0.");
        Steps = steps;
        Eta = eta;
    }

    public string Name => "ddim";

    public int Steps { get; }

    public double Eta { get; }

    /// <summary>floor(i T / S) for i = S-1 .. 0 (S at most T).</summary>
    public IReadOnlyList<int> Timesteps(NoiseSchedule schedule)
    {
        if (Steps > schedule.Timesteps)
            throw new InvalidInputException($"--steps {Steps}: the model has only {schedule.Timesteps} time steps.");
        return Enumerable.Range(0, Steps).Select(i => (int)((long)i * schedule.Timesteps / Steps)).Reverse().ToArray();
    }

    public (Tensor Mean, Tensor Variance) Transition(NoisePredictor network, NoiseSchedule schedule, Tensor xt, int t, int previous, bool clip)
    {
        using var scope = NewDisposeScope();
        var (x0, eps) = Predict(network, schedule, xt, t, clip);
        double abar = schedule.AlphaCumprod(t), abarPrevious = schedule.AlphaCumprod(previous);
        double variance = Eta * Eta * (1 - abarPrevious) / (1 - abar) * (1 - abar / abarPrevious);
        Tensor mean = Math.Sqrt(abarPrevious) * x0 + Math.Sqrt(Math.Max(0, 1 - abarPrevious - variance)) * eps;
        return (mean.MoveToOuterDisposeScope(), tensor(variance, xt.dtype, xt.device).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The deterministic map back (eta = 0 run in reverse, Song et al. sec. 4.3): from x_0 [B, ...] up the visited steps to
    /// x_{T-1}, x_next = sqrt(abar_next) x0_hat + sqrt(1 - abar_next) eps_hat, with eps_hat taken at x_current.
    /// </summary>
    public Tensor Encode(NoisePredictor network, NoiseSchedule schedule, Tensor x0, bool clip = false)
    {
        using var scope = NewDisposeScope();
        int[] ascending = Timesteps(schedule).Reverse().ToArray();
        Tensor x = x0;
        int current = -1;
        foreach (int next in ascending)
        {
            using var step = NewDisposeScope();
            // at the data (current = -1) the network is asked at the first step's time, the usual first-order approximation
            var (predicted, eps) = Predict(network, schedule, x, current < 0 ? next : current, clip);
            if (current < 0) predicted = x;
            x = (Math.Sqrt(schedule.AlphaCumprod(next)) * predicted + Math.Sqrt(1 - schedule.AlphaCumprod(next)) * eps).MoveToOuterDisposeScope();
            current = next;
        }
        return x.MoveToOuterDisposeScope();
    }

    private static (Tensor X0, Tensor Noise) Predict(NoisePredictor network, NoiseSchedule schedule, Tensor xt, int t, bool clip)
    {
        Tensor steps = full([xt.shape[0]], t, ScalarType.Int64, xt.device);
        Tensor eps = network(xt, steps);
        Tensor x0 = schedule.PredictedOriginal(xt, steps, eps);
        if (!clip) return (x0, eps);
        x0 = x0.clamp(-1, 1);
        return (x0, schedule.ImpliedNoise(xt, steps, x0));                     // the noise consistent with the clipped x_0
    }
}
