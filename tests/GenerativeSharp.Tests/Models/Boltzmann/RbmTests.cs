using GenerativeSharp.Data;
using GenerativeSharp.Evaluation;
using GenerativeSharp.Models.Boltzmann;
using GenerativeSharp.Recipes;
using GenerativeSharp.Runtime;
using GenerativeSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Models.Boltzmann;

public sealed class RbmTests
{
    /// <summary>A random RBM; weights scaled so the distribution is far from uniform.</summary>
    internal static Rbm Random(long[] eventShape, int hidden, double scale, long seed, RbmVisible visible = RbmVisible.Bernoulli)
    {
        Rbm rbm;
        lock (GlobalRandom.Lock)
        {
            manual_seed(seed);
            rbm = new Rbm(new RbmOptions { EventShape = eventShape, Hidden = hidden, Visible = visible });
        }
        using var generator = new Generator((ulong)seed + 1);
        using (no_grad())
        {
            rbm.Weight.copy_(randn(rbm.Weight.shape, generator: generator) * scale);
            rbm.VisibleBias.copy_(randn(rbm.VisibleBias.shape, generator: generator) * scale);
            rbm.HiddenBias.copy_(randn(rbm.HiddenBias.shape, generator: generator) * scale);
        }
        return rbm;
    }

    /// <summary>All 2^n binary vectors, [2^n, n] float64.</summary>
    internal static Tensor AllBinary(int n) =>
        arange(1L << n).unsqueeze(1).bitwise_and(pow(2, arange(n, dtype: ScalarType.Int64))).ne(0).to(ScalarType.Float64);

    [Fact]
    public void Free_energy_matches_a_brute_force_sum_over_hidden_states()
    {
        using Rbm rbm = Random([5], 4, 1.0, 1);
        rbm.to(ScalarType.Float64);
        using Tensor v = AllBinary(5), h = AllBinary(4);
        foreach (long i in new long[] { 0, 7, 19, 31 })
        {
            Tensor vi = v[i].unsqueeze(0).expand(16, 5);
            double expected = -rbm.Energy(vi, h).neg().logsumexp(0).item<double>();
            Assert.Equal(expected, rbm.FreeEnergy(v[i].unsqueeze(0)).item<double>(), 10);
        }
    }

    [Fact]
    public void Exact_log_z_matches_enumerating_visible_and_hidden_states()
    {
        using Rbm rbm = Random([6], 5, 1.0, 2);
        rbm.to(ScalarType.Float64);
        using Tensor v = AllBinary(6);
        double expected = rbm.FreeEnergy(v).neg().logsumexp(0).item<double>();
        Assert.Equal(expected, RbmPartitionFunction.Exact(rbm), 9);
        Assert.Equal(expected, RbmPartitionFunction.Exact(rbm, chunk: 4), 9);
    }

    [Fact]
    public void Probabilities_over_all_visible_states_sum_to_one()
    {
        using Rbm rbm = Random([7], 3, 1.5, 3);
        rbm.to(ScalarType.Float64);
        double logZ = RbmPartitionFunction.Exact(rbm);
        using Tensor v = AllBinary(7);
        Assert.Equal(1.0, (-rbm.FreeEnergy(v) - logZ).exp().sum().item<double>(), 9);
    }

    [Fact]
    public void Gaussian_visible_units_normalise_by_quadrature()
    {
        // V = 1: Z = integral of exp(-F(v)) dv, computed on a fine grid
        using Rbm rbm = Random([1], 3, 0.7, 9, RbmVisible.Gaussian);
        rbm.to(ScalarType.Float64);
        using Tensor grid = linspace(-15, 15, 60001, dtype: ScalarType.Float64).unsqueeze(1);
        double step = 30.0 / 60000;
        double quadrature = ((-rbm.FreeEnergy(grid)).logsumexp(0) + Math.Log(step)).item<double>();
        Assert.Equal(quadrature, RbmPartitionFunction.Exact(rbm), 6);
        using var generator = new Generator(3);
        Assert.Equal(new long[] { 5, 1 }, rbm.SampleVisible(zeros(5, 3, dtype: ScalarType.Float64), generator).shape);
    }

    [Fact]
    public void Gibbs_conditionals_match_the_joint_distribution()
    {
        using Rbm rbm = Random([3], 2, 1.0, 4);
        rbm.to(ScalarType.Float64);
        using Tensor v = AllBinary(3), h = AllBinary(2);
        // joint p(v, h) over all 8 x 4 configurations
        Tensor vv = v.repeat_interleave(4, 0), hh = h.repeat(8, 1);
        Tensor joint = (-rbm.Energy(vv, hh)).view(8, 4);
        joint = (joint - joint.flatten().logsumexp(0)).exp();
        for (int i = 0; i < 8; i++)
        {
            Tensor conditional = joint[i] / joint[i].sum();                      // p(h | v_i) over the 4 states
            Tensor unit = rbm.HiddenProbabilities(v[i].unsqueeze(0))[0];         // factorised p(h_j = 1 | v_i)
            Tensor product = (h * unit + (1 - h) * (1 - unit)).prod(1);
            Assert.True(product.allclose(conditional, atol: 1e-12), $"p(h | v) differs at v = {i}");
        }
        for (int j = 0; j < 4; j++)
        {
            Tensor conditional = joint[.., j] / joint[.., j].sum();
            Tensor unit = rbm.VisibleMean(h[j].unsqueeze(0))[0];
            Tensor product = (v * unit + (1 - v) * (1 - unit)).prod(1);
            Assert.True(product.allclose(conditional, atol: 1e-12), $"p(v | h) differs at h = {j}");
        }
    }

    [Theory]
    [InlineData(784, 12, 0.05)]
    [InlineData(10, 6, 1.0)]
    public void Ais_agrees_with_the_exact_log_z(int visible, int hidden, double scale)
    {
        using Rbm rbm = Random([visible], hidden, scale, 5);
        using var generator = new Generator(6);
        using Tensor data = bernoulli(full(200, visible, 0.5f), generator);   // base rates near the random model's marginals
        double exact = RbmPartitionFunction.Exact(rbm);
        AisResult ais = RbmPartitionFunction.Ais(rbm, data, runs: 100, temperatures: 3000, seed: 7);
        Assert.True(Math.Abs(ais.LogZ - exact) < 0.1, $"AIS {ais.LogZ} vs exact {exact}");
        Assert.True(ais.LowerLogZ <= exact + 0.1 && exact - 0.1 <= ais.UpperLogZ);
        Assert.Equal(3000, ais.Temperatures);
    }

    [Theory]
    [InlineData(14_500)]
    [InlineData(3000)]
    [InlineData(1001)]
    [InlineData(10)]
    public void The_ais_schedule_has_exactly_the_temperatures_asked_for(int count)
    {
        double[] betas = RbmPartitionFunction.Schedule(count);
        Assert.Equal(count, betas.Length);
        Assert.Equal(0.0, betas[0]);
        Assert.Equal(1.0, betas[^1]);
        Assert.True(betas.Zip(betas.Skip(1)).All(p => p.First < p.Second), "betas must increase strictly");
        if (count == 14_500)
        {
            Assert.Equal(500, betas.Count(b => b < 0.5));                  // Salakhutdinov and Murray's 500 / 4,000 / 10,000
            Assert.Equal(4000, betas.Count(b => b >= 0.5 && b < 0.9));
        }
    }
}
