using GenerativeSharp.Distributions;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Distributions;

public sealed class DistributionTests
{
    [Fact]
    public void Diagonal_normal_log_prob_matches_the_closed_form()
    {
        double[] mu = [0.5, -1.0], logVar = [0.2, -0.7], x = [1.5, -0.3];
        double expected = 0;
        for (int i = 0; i < 2; i++)
            expected += -0.5 * (Math.Log(2 * Math.PI) + logVar[i] + Math.Pow(x[i] - mu[i], 2) / Math.Exp(logVar[i]));
        var normal = new DiagonalNormal(tensor(mu).unsqueeze(0), tensor(logVar).unsqueeze(0));
        Assert.Equal(expected, normal.LogProb(tensor(x).unsqueeze(0)).item<double>(), 12);
    }

    [Fact]
    public void Kl_to_standard_normal_matches_the_closed_form_and_a_monte_carlo_estimate()
    {
        double[] mu = [0.3, -1.2, 2.0], logVar = [-0.5, 0.4, 0.0];
        double expected = 0;
        for (int i = 0; i < 3; i++) expected += 0.5 * (mu[i] * mu[i] + Math.Exp(logVar[i]) - 1 - logVar[i]);
        var q = new DiagonalNormal(tensor(mu).unsqueeze(0), tensor(logVar).unsqueeze(0));
        Assert.Equal(expected, q.KlToStandardNormal().item<double>(), 12);

        using var generator = new Generator(7);
        Tensor z = q.RSample(200_000, generator).squeeze(1);                 // [S, 3]
        var expanded = new DiagonalNormal(q.Mu.expand(200_000, 3), q.LogVar.expand(200_000, 3));
        double monteCarlo = (expanded.LogProb(z) - new StandardNormal(3).LogProb(z)).mean().item<double>();
        Assert.Equal(expected, monteCarlo, 1);
    }

    [Fact]
    public void Standard_normal_log_prob_and_sample_shape()
    {
        var prior = new StandardNormal(2);
        Assert.Equal(-Math.Log(2 * Math.PI), prior.LogProb(zeros(1, 2, dtype: ScalarType.Float64)).item<double>(), 12);
        using var generator = new Generator(1);
        Assert.Equal(new long[] { 5, 2 }, prior.Sample(5, generator: generator).shape);
    }

    [Fact]
    public void Bernoulli_log_prob_matches_the_sum_of_log_probabilities()
    {
        double[] logits = [0.0, 2.0, -1.5, 0.7];
        double[] x = [1, 0, 0, 1];
        double expected = 0;
        for (int i = 0; i < 4; i++)
        {
            double p = 1 / (1 + Math.Exp(-logits[i]));
            expected += x[i] * Math.Log(p) + (1 - x[i]) * Math.Log(1 - p);
        }
        var bernoulli = new Bernoulli(tensor(logits).view(1, 1, 2, 2));
        Assert.Equal(expected, bernoulli.LogProb(tensor(x).view(1, 1, 2, 2)).item<double>(), 10);
    }

    [Fact]
    public void Mismatched_shapes_are_rejected_with_both_shapes_named()
    {
        var e = Assert.Throws<ArgumentException>(() => new DiagonalNormal(zeros(2, 3), zeros(2, 4)));
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[2, 4]", e.Message);
    }
}
