using GenerativeSharp.Models;
using GenerativeSharp.Models.Autoregressive;
using TorchSharp;

namespace GenerativeSharp.Recipes;

/// <summary>
/// The MADE recipe: one hidden layer of 500 ReLU units, one mask (natural order), Adam 1e-3,
/// batch 100, dynamic binarization. Binary images only.
/// </summary>
public sealed class MadeRecipe : FullyVisibleRecipe<MadeOptions, Made>
{
    public override ModelInfo Info { get; } = new(
        "made", TaxonomyCell.FullyVisibleBeliefNet, "MADE", LikelihoodKind.Exact,
        "Masked autoencoder for distribution estimation (Germain et al. 2015), optional mask ensemble");

    protected override IReadOnlyList<Setting> Setters { get; } =
    [
        new("hidden", "500", "hidden width", (o, v) => o with { Hidden = SettingValue.Integer("hidden", v, 1) }),
        new("depth", "1", "hidden layers", (o, v) => o with { Depth = SettingValue.Integer("depth", v, 1) }),
        new("masks", "1", "masks cycled in training (>1: connectivity-agnostic, ensemble density)",
            (o, v) => o with { Masks = SettingValue.Integer("masks", v, 1) }),
        new("mask_seed", "0", "seed of the orderings and connectivity", (o, v) => o with { MaskSeed = SettingValue.Integer("mask_seed", v, 0) }),
    ];

    protected override MadeOptions DefaultImageOptions(long[] eventShape) => new() { EventShape = eventShape };

    protected override void Validate(MadeOptions options) => options.Validate();

    protected override Made Construct(MadeOptions options) => new Made(options);
}
