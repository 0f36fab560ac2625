using GenerativeSharp.Bijectors;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Bijectors;

/// <summary>
/// The contract every bijector passes (docs/architecture.md): Inverse(Forward(z)) = z with cancelling
/// log-dets in float64, log-det = log |det| of the autograd Jacobian, shapes kept, finite outputs.
/// Parameters are perturbed first so that zero-initialised layers are not the identity.
/// </summary>
public sealed class BijectorContractTests
{
    /// <summary>A named bijector with the data shape it acts on and whether its data lie in (0, 1).</summary>
    public sealed record Case(string Name, Func<Bijector> Build, long[] DataShape, bool UnitInterval = false)
    {
        public override string ToString() => Name;
    }

    private static readonly Dictionary<string, Case> Cases = new Case[]
    {
        new("affine-vector", () => new AffineCoupling(CouplingMasks.Alternating(4, false), CouplingNetworks.Mlp(8, 2)), [4]),
        new("affine-checkerboard", () => new AffineCoupling(CouplingMasks.Checkerboard([2, 4, 4], true), CouplingNetworks.Conv(4)), [2, 4, 4]),
        new("affine-channels", () => new AffineCoupling(CouplingMasks.Channels([4, 2, 2], false), CouplingNetworks.Conv(4)), [4, 2, 2]),
        new("spline-vector", () => new SplineCoupling(CouplingMasks.Alternating(4, true), CouplingNetworks.Mlp(8, 2), 5, 1.5), [4]),
        new("spline-checkerboard", () => new SplineCoupling(CouplingMasks.Checkerboard([2, 4, 4], false), CouplingNetworks.Conv(4), 4, 2.0), [2, 4, 4]),
        new("additive", () => new AdditiveCoupling(CouplingMasks.Alternating(5, true), CouplingNetworks.Mlp(8, 1)), [5]),
        new("permutation", () => new Permutation([3, 0, 2, 1]), [4]),
        new("reverse", () => Permutation.Reverse(3), [3, 2, 2]),
        new("actnorm-vector", () => new ActNorm(3), [3]),
        new("actnorm-image", () => new ActNorm(2), [2, 3, 3]),
        new("conv1x1-vector", () => new InvertibleConv1x1(3), [3]),
        new("conv1x1-image", () => new InvertibleConv1x1(4), [4, 2, 2]),
        new("squeeze", () => new Squeeze(), [2, 4, 4]),
        new("reshape", () => new Reshape([2, 2, 3], [12]), [2, 2, 3]),
        new("split", () => new MultiScaleSplit([4, 2, 2], new Chain([new Squeeze(), new ActNorm(8)])), [4, 2, 2]),
        new("logit", () => new Logit(0.05), [6], UnitInterval: true),
        new("maf", () => new MaskedAutoregressive(5, 12, 2), [5]),
        new("chain", () => new Chain([new ActNorm(4), new InvertibleConv1x1(4),
            new AffineCoupling(CouplingMasks.Alternating(4, true), CouplingNetworks.Mlp(8, 1)), Permutation.Reverse(4)]), [4]),
        new("invert", () => new Invert(new AffineCoupling(CouplingMasks.Alternating(4, false), CouplingNetworks.Mlp(8, 1))), [4]),
    }.ToDictionary(c => c.Name);

    public static TheoryData<string> Names => new(Cases.Keys);

    /// <summary>The bijector in float64, eval mode, every parameter moved by N(0, 0.3^2) from a fixed seed.</summary>
    internal static Bijector Perturbed(Func<Bijector> build)
    {
        Bijector bijector;
        lock (GenerativeSharp.Runtime.GlobalRandom.Lock)
        {
            manual_seed(5);
            bijector = build();
        }
        bijector.to(ScalarType.Float64).eval();
        using var generator = new Generator(11);
        using var noGrad = no_grad();
        foreach (var p in bijector.parameters())
            p.add_(randn(p.shape, dtype: p.dtype, generator: generator) * 0.3);
        return bijector;
    }

    private static Tensor Input(Case c, int batch, ulong seed)
    {
        using var generator = new Generator(seed);
        long[] shape = [batch, .. c.DataShape];
        return c.UnitInterval
            ? rand(shape, dtype: ScalarType.Float64, generator: generator) * 0.9 + 0.05
            : randn(shape, dtype: ScalarType.Float64, generator: generator);
    }


    [Theory]
    [MemberData(nameof(Names))]
    public void Inverse_then_forward_is_the_identity_and_log_dets_cancel(string name)
    {
        Case c = Cases[name];
        using Bijector bijector = Perturbed(c.Build);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor x = Input(c, 7, 1);
        (Tensor z, Tensor inverseLogDet) = bijector.Inverse(x);
        Assert.Equal([7, .. bijector.LatentShape(c.DataShape)], z.shape);
        (Tensor back, Tensor forwardLogDet) = bijector.Forward(z);
        Assert.Equal(x.shape, back.shape);
        Assert.Equal([7L], inverseLogDet.shape);
        Assert.Equal([7L], forwardLogDet.shape);
        Assert.True(z.isfinite().all().item<bool>() && inverseLogDet.isfinite().all().item<bool>(), $"{name}: non-finite output");
        double error = (back - x).abs().max().item<double>();
        double cancel = (inverseLogDet + forwardLogDet).abs().max().item<double>();
        Assert.True(error < 1e-9, $"{name}: |Forward(Inverse(x)) - x| = {error}");
        Assert.True(cancel < 1e-9, $"{name}: log-dets do not cancel ({cancel})");
        Assert.Equal(x.device_type, z.device_type);
        Assert.Equal(ScalarType.Float64, z.dtype);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Log_det_equals_the_autograd_jacobian(string name)
    {
        Case c = Cases[name];
        using Bijector bijector = Perturbed(c.Build);
        using var scope = NewDisposeScope();
        for (ulong seed = 2; seed < 4; seed++)
        {
            Tensor x = Input(c, 1, seed).requires_grad_(true);
            (Tensor z, Tensor logDet) = bijector.Inverse(x);
            Tensor flat = z.flatten();
            long d = flat.shape[0];
            var rows = new Tensor[d];
            for (long i = 0; i < d; i++)
                rows[i] = autograd.grad([flat[i]], [x], retain_graph: true, allow_unused: true)[0].flatten();
            Tensor jacobian = stack(rows);                                  // [D, D]: dz_i / dx_j
            double expected = linalg.slogdet(jacobian).Item2.item<double>();
            double actual = logDet.item<double>();
            Assert.True(Math.Abs(expected - actual) < 1e-8, $"{name}: log-det {actual}, autograd Jacobian gives {expected}");
        }
    }
}
