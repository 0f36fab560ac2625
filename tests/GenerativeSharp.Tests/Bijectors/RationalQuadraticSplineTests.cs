using GenerativeSharp.Bijectors;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Bijectors;

/// <summary>
/// The elementwise spline behind <see cref="SplineCoupling"/>: the identity at zero parameters and
/// outside [-B, B], strictly increasing inside, its log-derivative equal to the autograd derivative,
/// its inverse exact at the knots and in between, and continuous at the tail bound.
/// </summary>
public sealed class RationalQuadraticSplineTests
{
    private const int Bins = 6;
    private const double Bound = 2.5;

    private static Tensor RandomParameters(long count, ulong seed)
    {
        using var generator = new Generator(seed);
        return randn([count, RationalQuadraticSpline.ParametersPerElement(Bins)], dtype: ScalarType.Float64, generator: generator) * 1.5;
    }

    [Fact]
    public void Zero_parameters_give_the_identity()
    {
        using var scope = NewDisposeScope();
        Tensor x = linspace(-4, 4, 81, dtype: ScalarType.Float64);
        Tensor parameters = zeros([81, RationalQuadraticSpline.ParametersPerElement(Bins)], dtype: ScalarType.Float64);
        (Tensor y, Tensor logDerivative) = RationalQuadraticSpline.Apply(x, parameters, Bound);
        Assert.True((y - x).abs().max().item<double>() < 1e-12);
        Assert.True(logDerivative.abs().max().item<double>() < 1e-12);
    }

    [Fact]
    public void Outside_the_tail_bound_the_map_is_the_identity_and_it_is_continuous_at_the_bound()
    {
        using var scope = NewDisposeScope();
        Tensor x = tensor(new[] { -7.0, -Bound - 1e-9, -Bound, Bound, Bound + 1e-9, 3.1 }, dtype: ScalarType.Float64);
        (Tensor y, Tensor logDerivative) = RationalQuadraticSpline.Apply(x, RandomParameters(6, 1), Bound);
        double[] ys = y.data<double>().ToArray();
        double[] lds = logDerivative.data<double>().ToArray();
        foreach (int i in new[] { 0, 1, 4, 5 })
        {
            Assert.Equal(x[i].item<double>(), ys[i], 12);
            Assert.Equal(0.0, lds[i], 12);
        }
        Assert.Equal(-Bound, ys[2], 9);
        Assert.Equal(Bound, ys[3], 9);
    }

    [Fact]
    public void The_spline_is_strictly_increasing_and_its_log_derivative_matches_autograd()
    {
        using var scope = NewDisposeScope();
        Tensor parameters = RandomParameters(1, 2).expand(2001, -1);
        Tensor x = linspace(-Bound, Bound, 2001, dtype: ScalarType.Float64).requires_grad_(true);
        (Tensor y, Tensor logDerivative) = RationalQuadraticSpline.Apply(x, parameters, Bound);
        Assert.True((y[1..] - y[..^1]).min().item<double>() > 0, "not increasing");
        Tensor derivative = autograd.grad([y.sum()], [x])[0];
        double error = (derivative.log() - logDerivative).abs().max().item<double>();
        Assert.True(error < 1e-9, $"log-derivative differs from autograd by {error}");
    }

    [Fact]
    public void The_inverse_undoes_the_spline_everywhere_and_the_log_derivatives_cancel()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(3);
        Tensor x = (rand(4000, dtype: ScalarType.Float64, generator: generator) * 2 - 1) * (Bound + 0.5);
        Tensor parameters = RandomParameters(4000, 4);
        (Tensor y, Tensor forwardLog) = RationalQuadraticSpline.Apply(x, parameters, Bound);
        (Tensor back, Tensor inverseLog) = RationalQuadraticSpline.ApplyInverse(y, parameters, Bound);
        Assert.True((back - x).abs().max().item<double>() < 1e-9);
        Assert.True((forwardLog + inverseLog).abs().max().item<double>() < 1e-9);
    }

    [Fact]
    public void A_spline_coupling_starts_as_the_identity()
    {
        using var coupling = new SplineCoupling(CouplingMasks.Alternating(2, false), CouplingNetworks.Mlp(16, 2), 8, 4);
        using var scope = NewDisposeScope();
        using var generator = new Generator(5);
        Tensor x = randn([64, 2], generator: generator) * 3;
        (Tensor z, Tensor logDet) = coupling.Inverse(x);
        Assert.True((z - x).abs().max().item<float>() < 1e-5);
        Assert.True(logDet.abs().max().item<float>() < 1e-5);
    }
}
