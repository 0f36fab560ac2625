using GenerativeSharp.Models;
using GenerativeSharp.Models.ChangeOfVariables;
using TorchSharp;

namespace GenerativeSharp.Recipes;

/// <summary>NICE: 4 additive couplings and a diagonal scaling; MLPs 128x2 on 2-D, 1000x4 on images (the paper's MNIST model has 5 layers).</summary>
public sealed class NiceRecipe : FlowRecipe
{
    public override ModelInfo Info { get; } = new(
        "nice", TaxonomyCell.ChangeOfVariables, "NICE", LikelihoodKind.Exact,
        "NICE (Dinh et al. 2014): additive couplings and a diagonal scaling");

    protected override FlowOptions PointOptions(long[] eventShape) =>
        new() { EventShape = eventShape, LearningRateHalfLife = PointHalfLife, Layers = 4, Hidden = 128, Depth = 2 };

    protected override FlowOptions ImageOptions(long[] eventShape) =>
        new() { EventShape = eventShape, Dequantize = true, Layers = 4, Hidden = 1000, Depth = 4 };

    protected override FlowModel Construct(FlowOptions options) => new Nice(options);
}
