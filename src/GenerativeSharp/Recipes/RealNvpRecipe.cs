using GenerativeSharp.Models;
using GenerativeSharp.Models.ChangeOfVariables;
using TorchSharp;

namespace GenerativeSharp.Recipes;

/// <summary>
/// RealNVP: 2-D, 16 affine couplings with MLPs 128x2 (16 rather than 8: on toy:8gaussians and
/// toy:checkerboard it halves the KL gap in the same number of steps, README results); images,
/// 2 scales of 3 + 3 couplings and a final 3, with 64-channel conv nets.
/// </summary>
public sealed class RealNvpRecipe : FlowRecipe
{
    public override ModelInfo Info { get; } = new(
        "realnvp", TaxonomyCell.ChangeOfVariables, "RealNVP", LikelihoodKind.Exact,
        "Real NVP (Dinh et al. 2017): affine couplings, multi-scale on images");

    protected override FlowOptions PointOptions(long[] eventShape) =>
        new() { EventShape = eventShape, LearningRateHalfLife = PointHalfLife, Layers = 16, Hidden = 128, Depth = 2 };

    protected override FlowOptions ImageOptions(long[] eventShape) =>
        new() { EventShape = eventShape, Dequantize = true, Layers = 3, Hidden = 64, Levels = 2 };

    protected override bool MultiScale => true;

    protected override FlowModel Construct(FlowOptions options) => new RealNvp(options);
}
