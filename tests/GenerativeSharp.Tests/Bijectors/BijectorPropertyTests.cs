using GenerativeSharp.Bijectors;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Bijectors;

public sealed class BijectorPropertyTests
{
    [Fact]
    public void ActNorm_initialises_from_the_first_training_batch_to_zero_mean_unit_variance()
    {
        using var actNorm = new ActNorm(3);
        actNorm.train();
        using var scope = NewDisposeScope();
        using var generator = new Generator(3);
        Tensor x = randn([256, 3, 4, 4], generator: generator) * tensor(new float[] { 3, 0.5f, 2 }).view(1, 3, 1, 1)
            + tensor(new float[] { 2, -1, 0 }).view(1, 3, 1, 1);
        Assert.False(actNorm.Initialized);
        Tensor z = actNorm.Inverse(x).Output;
        Assert.True(actNorm.Initialized);
        Tensor perChannel = z.transpose(0, 1).reshape(3, -1);
        Assert.True(perChannel.mean([1]).abs().max().item<float>() < 1e-4, "mean should be 0");
        Assert.True((perChannel.std(1) - 1).abs().max().item<float>() < 1e-3, "std should be 1");
        // A second batch does not re-initialise.
        Tensor again = actNorm.Inverse(x * 2).Output;
        Assert.True(again.transpose(0, 1).reshape(3, -1).std(1).min().item<float>() > 1.5);
    }

    [Fact]
    public void Maf_jacobian_is_strictly_triangular_in_its_ordering()
    {
        using MaskedAutoregressive maf = (MaskedAutoregressive)BijectorContractTests.Perturbed(() => new MaskedAutoregressive(5, 16, 2));
        using var scope = NewDisposeScope();
        using var generator = new Generator(4);
        Tensor x = randn([1, 5], dtype: ScalarType.Float64, generator: generator).requires_grad_(true);
        (Tensor mu, Tensor alpha) = maf.Parameters(x);
        int below = 0;
        foreach (Tensor parameter in new[] { mu, alpha })
            for (int i = 0; i < 5; i++)
            {
                double[] row = autograd.grad([parameter[0, i]], [x], retain_graph: true, allow_unused: true)[0].flatten().data<double>().ToArray();
                for (int j = 0; j < 5; j++)
                {
                    if (j >= i) Assert.True(row[j] == 0, $"parameter of x_{i} depends on x_{j}");
                    else if (row[j] != 0) below++;
                }
            }
        Assert.True(below > 0, "the parameters should depend on earlier dimensions");
    }

    [Fact]
    public void Conv1x1_weight_is_lu_factored_and_its_log_det_matches_the_determinant()
    {
        using var conv = (InvertibleConv1x1)BijectorContractTests.Perturbed(() => new InvertibleConv1x1(5));
        using var scope = NewDisposeScope();
        Tensor w = conv.Weight();
        using var x = ones([1, 5, 3, 3], dtype: ScalarType.Float64);
        double logDet = conv.Inverse(x).LogDet.item<double>();
        Assert.Equal(9 * linalg.slogdet(w).Item2.item<double>(), logDet, 9);
    }
}
