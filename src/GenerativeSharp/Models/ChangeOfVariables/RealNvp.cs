using GenerativeSharp.Bijectors;

namespace GenerativeSharp.Models.ChangeOfVariables;

/// <summary>
/// Real NVP: affine coupling layers with alternating masks (Dinh, Sohl-Dickstein and Bengio 2017,
/// "Density estimation using Real NVP", ICLR, arXiv:1605.08803).
/// Points [D]: <see cref="FlowOptions.Layers"/> affine couplings with alternating masks and MLP
/// conditioners. Images: the logit preprocessing, then the multi-scale architecture (section 3.6):
/// at each scale <c>Layers</c> checkerboard couplings, a squeeze, <c>Layers</c> channel couplings and
/// a split that factors out half the channels; the last scale has <c>Layers</c> checkerboard
/// couplings. Conditioners are small convolutional nets (3x3, 1x1, 3x3) instead of the paper's
/// ResNets, and there is no batch normalisation. With <see cref="FlowOptions.Coupling"/> = spline
/// every affine coupling becomes a <see cref="SplineCoupling"/> (Durkan et al. 2019, "RQ-NSF (C)").
/// </summary>
public sealed class RealNvp : FlowModel
{
    public RealNvp(FlowOptions options) : base(nameof(RealNvp), Checked(options), BuildBijector(options)) { }

    private static FlowOptions Checked(FlowOptions options)
    {
        options.Validate();
        options.RequireSqueezable("realnvp");
        return options;
    }

    private static Bijector BuildBijector(FlowOptions o)
    {
        if (o.EventShape.Length == 1)
        {
            var network = CouplingNetworks.Mlp(o.Hidden, o.Depth);
            return new Chain(Enumerable.Range(0, o.Layers)
                .Select(k => o.NewCoupling(CouplingMasks.Alternating(o.EventShape[0], flip: k % 2 == 1), network)));
        }
        return new Chain([new Logit(o.Alpha), Scale(o.EventShape, o.Levels, o)]);
    }

    /// <summary>One scale on images of <paramref name="shape"/> [C, H, W], with <paramref name="levels"/> splits still to come.</summary>
    private static Bijector Scale(long[] shape, int levels, FlowOptions o)
    {
        var network = CouplingNetworks.Conv(o.Hidden);
        var parts = Enumerable.Range(0, o.Layers)
            .Select(k => o.NewCoupling(CouplingMasks.Checkerboard(shape, flip: k % 2 == 1), network)).ToList();
        if (levels == 0) return new Chain(parts);
        long[] squeezed = [shape[0] * 4, shape[1] / 2, shape[2] / 2];
        parts.Add(new Squeeze());
        parts.AddRange(Enumerable.Range(0, o.Layers)
            .Select(k => o.NewCoupling(CouplingMasks.Channels(squeezed, flip: k % 2 == 1), network)));
        long[] rest = [squeezed[0] - squeezed[0] / 2, squeezed[1], squeezed[2]];
        parts.Add(new MultiScaleSplit(squeezed, Scale(rest, levels - 1, o)));
        return new Chain(parts);
    }
}
