using GenerativeSharp.Bijectors;

namespace GenerativeSharp.Models.ChangeOfVariables;

/// <summary>
/// NICE (Dinh, Krueger and Bengio 2014, "NICE: Non-linear Independent Components Estimation",
/// arXiv:1410.8516): <see cref="FlowOptions.Layers"/> additive couplings (volume preserving) with
/// MLP conditioners over alternating halves of the flattened input, then a diagonal scaling (here an
/// <see cref="ActNorm"/>, which adds a shift and a data-dependent start). Images pass the logit
/// preprocessing first. The prior is the standard normal (the paper also used a logistic one).
/// </summary>
public sealed class Nice : FlowModel
{
    public Nice(FlowOptions options) : base(nameof(Nice), Checked(options), BuildBijector(options)) { }

    private static FlowOptions Checked(FlowOptions options)
    {
        options.Validate();
        options.RequireAffineCoupling("nice", "its couplings are additive");
        return options;
    }

    private static Bijector BuildBijector(FlowOptions o)
    {
        long d = o.Dimensions;
        var network = CouplingNetworks.Mlp(o.Hidden, o.Depth);
        var parts = new List<Bijector>();
        if (o.EventShape.Length == 3)
        {
            parts.Add(new Logit(o.Alpha));
            parts.Add(new Reshape(o.EventShape, [d]));
        }
        parts.AddRange(Enumerable.Range(0, o.Layers)
            .Select(k => (Bijector)new AdditiveCoupling(CouplingMasks.Alternating(d, flip: k % 2 == 1), network)));
        parts.Add(new ActNorm(d));
        return new Chain(parts);
    }
}
