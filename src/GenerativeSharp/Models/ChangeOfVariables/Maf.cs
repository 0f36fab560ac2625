using GenerativeSharp.Bijectors;

namespace GenerativeSharp.Models.ChangeOfVariables;

/// <summary>
/// Masked autoregressive flow (Papamakarios, Pavlakou and Murray 2017, "Masked Autoregressive Flow
/// for Density Estimation", NeurIPS, arXiv:1705.07057): <see cref="FlowOptions.Layers"/> masked
/// autoregressive transforms with MADE conditioners (<see cref="FlowOptions.Hidden"/> units,
/// <see cref="FlowOptions.Depth"/> layers), the order reversed between layers. The density is one
/// pass per layer; sampling is sequential (D passes per layer). Images pass the logit preprocessing
/// and are flattened. No batch normalisation between layers (the paper's optional extra).
/// </summary>
public sealed class Maf : FlowModel
{
    public Maf(FlowOptions options) : base(nameof(Maf), Checked(options), BuildBijector(options)) { }

    private static FlowOptions Checked(FlowOptions options)
    {
        options.Validate();
        options.RequireAffineCoupling("maf", "its layers are masked autoregressive transforms");
        return options;
    }

    private static Bijector BuildBijector(FlowOptions o)
    {
        long d = o.Dimensions;
        var parts = new List<Bijector>();
        if (o.EventShape.Length == 3)
        {
            parts.Add(new Logit(o.Alpha));
            parts.Add(new Reshape(o.EventShape, [d]));
        }
        for (int k = 0; k < o.Layers; k++)
        {
            if (k > 0) parts.Add(Permutation.Reverse(d));
            parts.Add(new MaskedAutoregressive(d, o.Hidden, o.Depth));
        }
        return new Chain(parts);
    }
}
