using GenerativeSharp.Evaluation;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Evaluation;

public sealed class SampleQualityMetricsTests
{
    [Fact]
    public void Fid_of_two_gaussians_matches_the_closed_form()
    {
        // Commuting covariances A and 4A: (A 4A)^(1/2) = 2A, so FID = |mu_a - mu_b|^2 + tr(A).
        using var generator = new Generator(3);
        using Tensor m = randn([5, 5], dtype: ScalarType.Float64, generator: generator);
        using Tensor a = m.matmul(m.t()) + eye(5, dtype: ScalarType.Float64);
        using Tensor muA = zeros(5, dtype: ScalarType.Float64);
        using Tensor muB = full(5, 1.0, dtype: ScalarType.Float64);
        double expected = 5 + a.trace().item<double>();
        Assert.Equal(expected, FrechetDistance.FromMoments(muA, a, muB, a * 4), 6);
        Assert.Equal(0, FrechetDistance.FromMoments(muA, a, muA, a), 6);

        // Non-commuting 2-D case against the textbook formula tr(S1 + S2 - 2 (S1^(1/2) S2 S1^(1/2))^(1/2)),
        // here with S1 = diag(1, 4) and S2 = [[2, 1], [1, 2]]: S1^(1/2) S2 S1^(1/2) = [[2, 2], [2, 8]].
        using Tensor s1 = tensor(new double[] { 1, 0, 0, 4 }, [2, 2]);
        using Tensor s2 = tensor(new double[] { 2, 1, 1, 2 }, [2, 2]);
        double rootTrace = Math.Sqrt(10 + 2 * Math.Sqrt(16 - 4));   // tr sqrt(M) = sqrt(tr M + 2 sqrt(det M)) for 2x2 PSD M
        using Tensor zero2 = zeros(2, dtype: ScalarType.Float64);
        Assert.Equal(1 + 4 + 2 + 2 - 2 * rootTrace, FrechetDistance.FromMoments(zero2, s1, zero2, s2), 6);
    }

    [Fact]
    public void Fid_from_samples_approaches_the_closed_form()
    {
        using var generator = new Generator(4);
        using Tensor x = randn([40_000, 3], generator: generator);
        using Tensor y = randn([40_000, 3], generator: generator) * 2 + 1;           // N(1, 4 I)
        double expected = 3 * 1 + 3 * (1 + 4 - 2 * 2);                                  // |mu|^2 + tr(I + 4I - 2 * 2I)
        Assert.InRange(FrechetDistance.Between(x, y), expected - 0.15, expected + 0.15);
    }

    [Fact]
    public void Kid_is_near_zero_on_one_distribution_and_positive_across_two()
    {
        using var generator = new Generator(5);
        using Tensor a = randn([2000, 16], generator: generator);
        using Tensor b = randn([2000, 16], generator: generator);
        using Tensor c = randn([2000, 16], generator: generator) + 0.5;
        KernelDistanceResult same = KernelDistance.Between(a, b, subsets: 20, subsetSize: 1000, seed: 1);
        KernelDistanceResult shifted = KernelDistance.Between(a, c, subsets: 20, subsetSize: 1000, seed: 1);
        Assert.InRange(same.Mean, -0.01, 0.01);
        Assert.True(shifted.Mean > 0.1 && shifted.Mean > 20 * Math.Abs(same.Mean), $"shifted {shifted.Mean}, same {same.Mean}");
        Assert.True(same.StandardDeviation > 0);
    }

    [Fact]
    public void Precision_and_recall_on_constructed_point_sets()
    {
        // Real: 0..9 on a line. Generated: the same ten points plus ten far away at 1000..1009.
        using Tensor real = arange(10, dtype: ScalarType.Float32).unsqueeze(1);                       // [10, 1]
        using Tensor generated = cat([real, arange(1000, 1010, dtype: ScalarType.Float32).unsqueeze(1)]);   // [20, 1]
        PrecisionRecallResult result = PrecisionRecall.Between(real, generated);
        Assert.Equal(0.5, result.Precision, 12);   // the far half lies outside every real ball (radii 2 or 3)
        Assert.Equal(1.0, result.Recall, 12);      // every real point coincides with a generated one
        PrecisionRecallResult swapped = PrecisionRecall.Between(generated, real);
        Assert.Equal(1.0, swapped.Precision, 12);
        Assert.Equal(0.5, swapped.Recall, 12);
    }

    [Fact]
    public void Mode_coverage_counts_modes_within_three_standard_deviations()
    {
        using Tensor centres = EightGaussiansModes.Centres();
        using Tensor someModes = centres.narrow(0, 0, 5).to(ScalarType.Float32);
        using Tensor far = full([5, 2], 100f);
        using Tensor samples = cat([someModes, far]);
        ModeCoverageResult result = ModeCoverage.Measure(samples, centres, EightGaussiansModes.Std);
        Assert.Equal(5, result.ModesCovered);
        Assert.Equal(0.5, result.HighQualityShare, 12);
    }
    [Fact]
    public void Halves_are_one_fixed_permutation_that_mixes_a_test_set_stored_class_by_class()
    {
        using Tensor order = SampleQuality.HalvesOrder(400, CPU), again = SampleQuality.HalvesOrder(400, CPU);
        Assert.True(order.eq(again).all().item<bool>());                                      // the same A and B for every model
        Assert.True(order.sort().Values.eq(arange(400, ScalarType.Int64)).all().item<bool>()); // a permutation
        using Tensor labels = arange(400, ScalarType.Int64).floor_divide(100);                         // 4 classes, stored in order
        using Tensor halfA = labels.index_select(0, order.narrow(0, 0, 200));
        for (int c = 0; c < 4; c++)
        {
            long inA = halfA.eq(c).sum().item<long>();
            Assert.InRange(inA, 35, 65);                                                     // about 50 of each class, not 100 or 0
        }
    }
}
