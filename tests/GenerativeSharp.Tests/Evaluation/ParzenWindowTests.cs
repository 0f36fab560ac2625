using GenerativeSharp.Evaluation;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Evaluation;

public sealed class ParzenWindowTests
{
    private static double LogGaussian(double squaredDistance, double sigma, int dimensions) =>
        -squaredDistance / (2 * sigma * sigma) - 0.5 * dimensions * Math.Log(2 * Math.PI * sigma * sigma);

    [Fact]
    public void One_sample_gives_the_gaussian_log_density()
    {
        using var generator = new Generator(1);
        using var sample = randn(1, 3, generator: generator);
        using var x = randn(5, 3, generator: generator);
        double[] estimate = ParzenWindow.LogDensity(sample, x, 0.7).data<double>().ToArray();
        double[] squared = (x.to(ScalarType.Float64) - sample.to(ScalarType.Float64)).square().sum(1).data<double>().ToArray();
        for (int i = 0; i < 5; i++)
            Assert.Equal(LogGaussian(squared[i], 0.7, 3), estimate[i], 10);
    }

    [Fact]
    public void Two_separated_clusters_share_the_mass_equally()
    {
        using var samples = tensor(new double[] { 0, 0, 0, 0, 10, 10, 10, 10 }, [4, 2]);   // two points at each centre
        using var x = tensor(new double[] { 0, 0, 10, 10, 0.3, -0.2 }, [3, 2]);
        double[] estimate = ParzenWindow.LogDensity(samples, x, 0.5).data<double>().ToArray();
        double far = 200;                                                       // ||(0,0) - (10,10)||^2
        double atCentre = Math.Log(0.5 * Math.Exp(LogGaussian(0, 0.5, 2)) + 0.5 * Math.Exp(LogGaussian(far, 0.5, 2)));
        Assert.Equal(atCentre, estimate[0], 10);
        Assert.Equal(atCentre, estimate[1], 10);
        Assert.Equal(Math.Log(0.5) + LogGaussian(0.13, 0.5, 2), estimate[2], 8);
    }

    [Fact]
    public void Sigma_selection_finds_the_scale_of_a_known_gaussian()
    {
        // Kernels on one point at the origin make the density exactly N(0, sigma^2 I), whose best
        // width for data from N(0, 0.3^2 I) is 0.3; the test log-likelihood is then minus the entropy.
        const double truth = 0.3;
        const int dimensions = 10;
        using var generator = new Generator(2);
        using var samples = zeros(1, dimensions);
        using var validation = truth * randn(4000, dimensions, generator: generator);
        using var test = truth * randn(4000, dimensions, generator: generator);
        double[] sigmas = [0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.6];
        ParzenResult result = ParzenWindow.Estimate(samples, validation, test, sigmas);
        Assert.Equal(truth, result.Sigma);
        Assert.Equal(sigmas.Length, result.ValidationCurve.Count);
        Assert.Equal(4000, result.TestExamples);
        double negativeEntropy = -0.5 * dimensions * (1 + Math.Log(2 * Math.PI * truth * truth));
        Assert.InRange(result.MeanLogLikelihood, negativeEntropy - 4 * result.StandardError, negativeEntropy + 4 * result.StandardError);
        Assert.InRange(result.StandardError, 0.01, 0.1);   // std of a chi-square term: sqrt(D / 2) / sqrt(4000) = 0.035
    }

    [Fact]
    public void Chunking_does_not_change_the_answer()
    {
        using var generator = new Generator(3);
        using var samples = rand(300, 1, 2, 3, generator: generator);
        using var validation = rand(40, 1, 2, 3, generator: generator);
        using var test = rand(70, 1, 2, 3, generator: generator);
        double[] sigmas = [0.05, 0.1, 0.2, 0.5];
        ParzenResult whole = ParzenWindow.Estimate(samples, validation, test, sigmas);
        ParzenResult chunked = ParzenWindow.Estimate(samples, validation, test, sigmas, chunkElements: 37);
        Assert.Equal(whole.Sigma, chunked.Sigma);
        Assert.Equal(whole.MeanLogLikelihood, chunked.MeanLogLikelihood, 9);
        Assert.Equal(whole.StandardError, chunked.StandardError, 9);
        for (int i = 0; i < sigmas.Length; i++)
            Assert.Equal(whole.ValidationCurve[i].MeanLogLikelihood, chunked.ValidationCurve[i].MeanLogLikelihood, 9);
    }

    [Fact]
    public void Mismatched_shapes_and_bad_widths_are_refused()
    {
        using var samples = zeros(4, 2);
        using var points = zeros(3, 2);
        Assert.Throws<InvalidInputException>(() => ParzenWindow.Estimate(samples, zeros(3, 3), points, [0.1]));
        Assert.Throws<InvalidInputException>(() => ParzenWindow.Estimate(samples, points, points, []));
        Assert.Throws<InvalidInputException>(() => ParzenWindow.LogDensity(samples, points, 0));
        Assert.Equal(10, ParzenWindow.DefaultSigmas.Count);
        Assert.Equal(0.1, ParzenWindow.DefaultSigmas[0], 12);
        Assert.Equal(1.0, ParzenWindow.DefaultSigmas[^1], 12);
    }

    [Theory]
    [InlineData(2000, 400)]
    [InlineData(10_000, 1000)]
    public void Sigma_is_chosen_on_a_held_out_slice_of_the_test_set(long count, long validation)
    {
        using var test = arange(count, dtype: ScalarType.Float32).view(count, 1);
        var (chosenOn, scored) = ParzenWindow.HeldOutSplit(test);
        Assert.Equal(validation, chosenOn.shape[0]);
        Assert.Equal(count - validation, scored.shape[0]);
        Assert.Equal(validation, scored[0].item<float>());                    // disjoint: the scored part starts after the slice
    }
}
