using GenerativeSharp.Models;
using GenerativeSharp.Models.ChangeOfVariables;
using TorchSharp;

namespace GenerativeSharp.Recipes;

/// <summary>MAF: 2-D, 8 autoregressive layers with MADEs 128x2; images, 5 layers with MADEs 1024x1 (the paper's MNIST MAF 5).</summary>
public sealed class MafRecipe : FlowRecipe
{
    public override ModelInfo Info { get; } = new(
        "maf", TaxonomyCell.ChangeOfVariables, "MAF", LikelihoodKind.Exact,
        "Masked autoregressive flow (Papamakarios et al. 2017): MADE conditioners; one-pass density, sequential sampling");

    protected override FlowOptions PointOptions(long[] eventShape) =>
        new() { EventShape = eventShape, LearningRateHalfLife = PointHalfLife, Layers = 8, Hidden = 128, Depth = 2 };

    protected override FlowOptions ImageOptions(long[] eventShape) =>
        new() { EventShape = eventShape, Dequantize = true, Layers = 5, Hidden = 1024, Depth = 1 };

    protected override FlowModel Construct(FlowOptions options) => new Maf(options);
}
