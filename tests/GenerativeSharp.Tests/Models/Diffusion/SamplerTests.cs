using GenerativeSharp.Models.Diffusion;
using GenerativeSharp.Models.Diffusion.Samplers;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Models.Diffusion;

public sealed class SamplerTests
{
    /// <summary>The true noise for data that is exactly <paramref name="x0"/>: eps = (x_t - sqrt(abar_t) x_0) / sqrt(1 - abar_t).</summary>
    private static NoisePredictor Oracle(NoiseSchedule schedule, Tensor x0) => (xt, t) => schedule.ImpliedNoise(xt, t, x0);

    /// <summary>A fixed, smooth stand-in for a trained network.</summary>
    private static Tensor Arbitrary(Tensor xt, Tensor t) =>
        (xt * 0.8).tanh() + 0.001 * t.to(xt.dtype).view([-1, .. Enumerable.Repeat(1L, (int)xt.dim() - 1)]);

    [Fact]
    public void An_oracle_network_makes_the_simple_loss_zero()
    {
        NoiseSchedule schedule = NoiseSchedule.Linear(1000);
        using var generator = new Generator(4);
        using var x0 = randn([64, 2], ScalarType.Float64, generator: generator);
        using var loss = DiffusionLoss.Simple(Oracle(schedule, x0), schedule, x0, generator);
        Assert.True(loss.item<double>() < 1e-20, $"loss {loss.item<double>()}");
    }

    [Fact]
    public void Ddim_with_eta_zero_takes_noised_data_back_to_the_data_and_encode_then_decode_is_the_identity()
    {
        NoiseSchedule schedule = NoiseSchedule.Linear(100);
        var ddim = new DdimSampler(10, eta: 0);
        using var generator = new Generator(8);
        using var x0 = randn([5, 3], ScalarType.Float64, generator: generator);
        using var noise = randn([5, 3], ScalarType.Float64, generator: generator);
        using var last = full([5], 99, ScalarType.Int64);
        using var xT = schedule.Noised(x0, last, noise);
        using var decoded = DiffusionSampling.Run(ddim, Oracle(schedule, x0), schedule, xT, generator, clip: false);
        Assert.True(decoded.allclose(x0, rtol: 0, atol: 1e-9), "DDIM from the true x_T must end at x_0");
        using var encoded = ddim.Encode(Oracle(schedule, x0), schedule, x0);
        using var back = DiffusionSampling.Run(ddim, Oracle(schedule, x0), schedule, encoded, generator, clip: false);
        Assert.True(back.allclose(x0, rtol: 0, atol: 1e-9), "decode(encode(x_0)) must be x_0");
    }

    [Fact]
    public void Ddim_with_every_step_and_eta_one_has_the_ancestral_means_and_variances()
    {
        NoiseSchedule schedule = NoiseSchedule.Linear(40, 1e-3, 0.1);
        var ddim = new DdimSampler(40, eta: 1);
        var ancestral = new AncestralSampler(VarianceChoice.Small);
        Assert.Equal(ancestral.Timesteps(schedule), ddim.Timesteps(schedule));
        using var generator = new Generator(2);
        using var xt = randn([6, 1, 4, 4], ScalarType.Float64, generator: generator);
        foreach (bool clip in new[] { false, true })
            for (int t = schedule.Timesteps - 1; t >= 0; t--)
            {
                using var scope = NewDisposeScope();
                var (m1, v1) = ddim.Transition(Arbitrary, schedule, xt, t, t - 1, clip);
                var (m2, v2) = ancestral.Transition(Arbitrary, schedule, xt, t, t - 1, clip);
                Assert.True(m1.allclose(m2, rtol: 1e-9, atol: 1e-9), $"mean at t = {t}, clip {clip}");
                if (t > 0)                                                     // at t = 0 both return the mean
                    Assert.True(v1.expand_as(m1).allclose(v2.expand_as(m2), rtol: 1e-9, atol: 1e-12), $"variance at t = {t}");
            }
    }

    [Fact]
    public void Ddim_visits_evenly_spaced_steps_and_refuses_more_than_t()
    {
        NoiseSchedule schedule = NoiseSchedule.Linear(1000);
        Assert.Equal(new[] { 800, 600, 400, 200, 0 }, new DdimSampler(5).Timesteps(schedule));
        Assert.Throws<InvalidInputException>(() => new DdimSampler(1001).Timesteps(schedule));
        Assert.Throws<InvalidInputException>(() => new DdimSampler(0));
    }
}
