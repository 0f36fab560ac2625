using GenerativeSharp.Models;
using GenerativeSharp.Models.ChangeOfVariables;
using TorchSharp;

namespace GenerativeSharp.Recipes;

/// <summary>Glow: 2-D, 8 steps with MLPs 128x2; images, 2 scales of 8 steps with 64-channel conv nets. <c>sample --temperature</c>.</summary>
public sealed class GlowRecipe : FlowRecipe
{
    public override ModelInfo Info { get; } = new(
        "glow", TaxonomyCell.ChangeOfVariables, "Glow", LikelihoodKind.Exact,
        "Glow (Kingma & Dhariwal 2018): ActNorm, invertible 1x1 convolutions, affine couplings, multi-scale; sampling temperature");

    protected override FlowOptions PointOptions(long[] eventShape) =>
        new() { EventShape = eventShape, LearningRateHalfLife = PointHalfLife, Layers = 8, Hidden = 128, Depth = 2 };

    protected override FlowOptions ImageOptions(long[] eventShape) =>
        new() { EventShape = eventShape, Dequantize = true, Layers = 8, Hidden = 64, Levels = 2 };

    protected override bool MultiScale => true;

    protected override FlowModel Construct(FlowOptions options) => new Glow(options);
}
