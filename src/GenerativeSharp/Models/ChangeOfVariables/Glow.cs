using GenerativeSharp.Bijectors;

namespace GenerativeSharp.Models.ChangeOfVariables;

/// <summary>
/// Glow (Kingma and Dhariwal 2018, "Glow: Generative Flow with Invertible 1x1 Convolutions",
/// NeurIPS, arXiv:1807.03039): steps of ActNorm (data-dependent init), an invertible 1x1
/// convolution (LU-parameterised) and an affine coupling over half the channels.
/// Images: the logit preprocessing, then <see cref="FlowOptions.Levels"/> scales, each a squeeze,
/// <see cref="FlowOptions.Layers"/> steps and (except the last) a split that factors out half the
/// channels. Points [D]: <c>Layers</c> steps with an invertible linear map and MLP conditioners.
/// Sampling takes a temperature (section 5). The coupling uses a tanh-bounded log-scale rather than
/// the paper's sigmoid gate; the prior of the factored-out channels is the standard normal (no
/// learned prior).
/// </summary>
public sealed class Glow : FlowModel
{
    public Glow(FlowOptions options) : base(nameof(Glow), Checked(options), BuildBijector(options)) { }

    private static FlowOptions Checked(FlowOptions options)
    {
        options.Validate();
        options.RequireSqueezable("glow");
        return options;
    }

    private static Bijector BuildBijector(FlowOptions o)
    {
        if (o.EventShape.Length == 1)
            return new Chain(Steps(o.EventShape, o, CouplingNetworks.Mlp(o.Hidden, o.Depth)));
        return new Chain([new Logit(o.Alpha), Scale(o.EventShape, o.Levels, o)]);
    }

    /// <summary>Squeeze, steps, then a split into the next scale unless this is the last.</summary>
    private static Bijector Scale(long[] shape, int levels, FlowOptions o)
    {
        long[] squeezed = [shape[0] * 4, shape[1] / 2, shape[2] / 2];
        var parts = new List<Bijector> { new Squeeze() };
        parts.AddRange(Steps(squeezed, o, CouplingNetworks.Conv(o.Hidden)));
        if (levels > 1)
            parts.Add(new MultiScaleSplit(squeezed, Scale([squeezed[0] - squeezed[0] / 2, squeezed[1], squeezed[2]], levels - 1, o)));
        return new Chain(parts);
    }

    /// <summary><c>Layers</c> flow steps on <paramref name="shape"/>: ActNorm, 1x1 conv, affine coupling.</summary>
    private static IEnumerable<Bijector> Steps(long[] shape, FlowOptions o, ConditionerFactory network)
    {
        for (int k = 0; k < o.Layers; k++)
        {
            yield return new ActNorm(shape[0]);
            yield return new InvertibleConv1x1(shape[0]);
            yield return o.NewCoupling(shape.Length == 1
                ? CouplingMasks.Alternating(shape[0], flip: false)
                : CouplingMasks.Channels(shape, flip: false), network);
        }
    }
}
