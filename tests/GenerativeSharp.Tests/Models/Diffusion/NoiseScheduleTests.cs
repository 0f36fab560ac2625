using GenerativeSharp.Models.Diffusion;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Models.Diffusion;

public sealed class NoiseScheduleTests
{
    [Theory]
    [InlineData("linear")]
    [InlineData("cosine")]
    public void Closed_form_marginal_matches_iterating_the_forward_process(string kind)
    {
        NoiseSchedule schedule = kind == "linear" ? NoiseSchedule.Linear(1000) : NoiseSchedule.Cosine(1000);
        if (kind == "linear") Assert.Equal(1e-4, schedule.Betas[0], 12);
        using var x0 = tensor(new[] { 1.5, -0.25, 0.0 }, [3, 1], ScalarType.Float64);
        double scale = 1, variance = 0;                                      // x_t = scale x_0 + noise of this variance
        for (int t = 0; t < schedule.Timesteps; t++)
        {
            scale *= Math.Sqrt(1 - schedule.Betas[t]);                        // x_t = sqrt(1 - beta_t) x_{t-1} + sqrt(beta_t) eps
            variance = (1 - schedule.Betas[t]) * variance + schedule.Betas[t];
            if (t % 97 != 0 && t != schedule.Timesteps - 1) continue;
            using var steps = full([3], t, ScalarType.Int64);
            var (mean, var) = schedule.Marginal(x0, steps);
            Assert.True(mean.allclose(x0 * scale, rtol: 1e-12, atol: 1e-12), $"{kind} mean at t = {t}");
            Assert.Equal(variance, var[0, 0].item<double>(), 10);
        }
    }

    [Fact]
    public void Posterior_is_bayes_rule_on_the_two_gaussians()
    {
        NoiseSchedule schedule = NoiseSchedule.Linear(50, 1e-3, 0.2);
        using var x0 = tensor(new[] { 0.7 }, [1, 1], ScalarType.Float64);
        using var xt = tensor(new[] { -0.4 }, [1, 1], ScalarType.Float64);
        foreach (int t in new[] { 1, 7, 49 })
        {
            double abarPrevious = schedule.AlphasCumprod[t - 1], beta = schedule.Betas[t];
            // q(x_{t-1} | x_0) = N(sqrt(abar_{t-1}) x_0, 1 - abar_{t-1}); q(x_t | x_{t-1}) = N(sqrt(1 - beta) x_{t-1}, beta)
            double precision = 1 / (1 - abarPrevious) + (1 - beta) / beta;
            double mean = (Math.Sqrt(abarPrevious) * 0.7 / (1 - abarPrevious) + Math.Sqrt(1 - beta) * -0.4 / beta) / precision;
            using var steps = full([1], t, ScalarType.Int64);
            var (m, v) = schedule.Posterior(x0, xt, steps);
            Assert.Equal(mean, m.item<double>(), 10);
            Assert.Equal(1 / precision, v.item<double>(), 12);
        }
    }

    [Fact]
    public void Cosine_betas_are_capped_and_increasing_towards_the_end()
    {
        NoiseSchedule schedule = NoiseSchedule.Cosine(1000);
        Assert.All(schedule.Betas, b => Assert.InRange(b, 0, 0.999));
        Assert.True(schedule.Betas[^1] > schedule.Betas[500]);
        Assert.True(schedule.AlphasCumprod[^1] < 1e-4);
    }
}
