using GenerativeSharp.Models.Diffusion;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Models.Diffusion;

public sealed class DiffusionBoundTests
{
    private static readonly double[] Betas = [0.1, 0.3, 0.6];

    private static Tensor Network(Tensor xt, Tensor t) => 0.5 * xt + 0.1 * t.to(xt.dtype).unsqueeze(1);   // eps = x/2 + t/10

    [Theory]
    [InlineData(VarianceChoice.Small)]
    [InlineData(VarianceChoice.Large)]
    public void Terms_match_a_direct_computation_with_three_steps_in_one_dimension(VarianceChoice choice)
    {
        NoiseSchedule schedule = NoiseSchedule.FromBetas(Betas);
        double[] abar = [0.9, 0.9 * 0.7, 0.9 * 0.7 * 0.4];
        const double x0 = 0.35;
        using var x = tensor(new[] { x0 }, [1, 1], ScalarType.Float64);
        double[] draws = new double[3];
        for (int t = 0; t < 3; t++)
        {
            using var g = new Generator(11);
            using var n = GenerativeSharp.Runtime.SeededRandom.Normal([1, 1], ScalarType.Float64, CPU, g);
            draws[t] = n.item<double>();
        }
        double total = 0;
        for (int t = 0; t < 3; t++)
        {
            double xt = Math.Sqrt(abar[t]) * x0 + Math.Sqrt(1 - abar[t]) * draws[t];
            double eps = 0.5 * xt + 0.1 * t;
            double x0Hat = (xt - Math.Sqrt(1 - abar[t]) * eps) / Math.Sqrt(abar[t]);
            double previous = t == 0 ? 1 : abar[t - 1];
            double c0 = Betas[t] * Math.Sqrt(previous) / (1 - abar[t]), ct = (1 - previous) * Math.Sqrt(1 - Betas[t]) / (1 - abar[t]);
            double varQ = Betas[t] * (1 - previous) / (1 - abar[t]);
            double meanQ = c0 * x0 + ct * xt, meanP = c0 * x0Hat + ct * xt;
            double tilde1 = Betas[1] * (1 - abar[0]) / (1 - abar[1]);
            double varP = t == 0 ? tilde1 : choice == VarianceChoice.Small ? varQ : Betas[t];
            double expected = t == 0
                ? 0.5 * Math.Log(2 * Math.PI * varP) + (x0 - x0Hat) * (x0 - x0Hat) / (2 * varP)          // L_0 = -log N(x_0; x0_hat, sigma_1^2)
                : 0.5 * (Math.Log(varP / varQ) + (varQ + (meanQ - meanP) * (meanQ - meanP)) / varP - 1);   // KL of two Gaussians
            total += expected;
            using var generator = new Generator(11);
            using var steps = full([1], t, ScalarType.Int64);
            using var term = DiffusionBound.Term(Network, schedule, choice, x, steps, levels: 0, generator);
            Assert.Equal(expected, term.item<double>(), 10);
        }
        double prior = 0.5 * ((1 - abar[2]) + abar[2] * x0 * x0 - 1 - Math.Log(1 - abar[2]));   // KL(N(sqrt(abar) x_0, 1 - abar) || N(0, 1))
        using var priorTerm = DiffusionBound.PriorTerm(schedule, x);
        Assert.Equal(prior, priorTerm.item<double>(), 12);
        Assert.True(total + prior > 0);
    }

    [Fact]
    public void All_terms_are_the_prior_plus_each_step_and_the_subset_estimate_is_unbiased()
    {
        NoiseSchedule schedule = NoiseSchedule.FromBetas(Betas);
        using var generator = new Generator(3);
        using var x = randn([4, 2], ScalarType.Float64, generator: generator);
        using var all = DiffusionBound.Negative(Network, schedule, VarianceChoice.Small, x, 0, timesteps: 3, new Generator(5));
        using var g = new Generator(5);
        using var prior = DiffusionBound.PriorTerm(schedule, x);
        Tensor sum = prior.clone();
        for (int t = 0; t < 3; t++) sum.add_(DiffusionBound.Term(Network, schedule, VarianceChoice.Small, x, full([4], t, ScalarType.Int64), 0, g));
        Assert.True(all.allclose(sum, rtol: 1e-12, atol: 1e-12));
        // the subset estimate's mean over many draws comes near the exact bound (fresh x_t draws each time)
        using var many = x[0].unsqueeze(0).expand(4000, 2).contiguous();
        using var exact = DiffusionBound.Negative(Network, schedule, VarianceChoice.Small, many, 0, timesteps: 3, new Generator(7));
        foreach (int k in new[] { 1, 2 })                                     // one stratum of 3 steps; strata {0} and {1, 2}
        {
            using var estimate = DiffusionBound.Negative(Network, schedule, VarianceChoice.Small, many, 0, timesteps: k, new Generator(6));
            double se = Math.Sqrt(estimate.var().item<double>() / 4000 + exact.var().item<double>() / 4000);
            Assert.InRange(estimate.mean().item<double>() - exact.mean().item<double>(), -5 * se, 5 * se);
        }
        sum.Dispose();
    }

    [Fact]
    public void The_discretized_decoder_puts_probability_one_on_the_256_levels()
    {
        using var levels = linspace(-1, 1, 256, ScalarType.Float64).view(256, 1);
        using var mean = full([256, 1], 0.3, ScalarType.Float64);
        using var variance = full([256, 1], 0.04, ScalarType.Float64);
        using var logP = DiffusionBound.DecoderLogLikelihood(levels, mean, variance, 256);
        Assert.Equal(1.0, logP.exp().sum().item<double>(), 9);
    }
}
