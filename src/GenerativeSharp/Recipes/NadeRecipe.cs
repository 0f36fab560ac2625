using GenerativeSharp.Models;
using GenerativeSharp.Models.Autoregressive;
using TorchSharp;

namespace GenerativeSharp.Recipes;

/// <summary>
/// The NADE recipe: 500 sigmoid hidden units shared by all conditionals, Adam 1e-3, batch 100,
/// dynamic binarization. Binary images only.
/// </summary>
public sealed class NadeRecipe : FullyVisibleRecipe<NadeOptions, Nade>
{
    public override ModelInfo Info { get; } = new(
        "nade", TaxonomyCell.FullyVisibleBeliefNet, "NADE", LikelihoodKind.Exact,
        "Neural autoregressive distribution estimator (Larochelle & Murray 2011)");

    protected override IReadOnlyList<Setting> Setters { get; } =
    [
        new("hidden", "500", "hidden units", (o, v) => o with { Hidden = SettingValue.Integer("hidden", v, 1) }),
    ];

    protected override NadeOptions DefaultImageOptions(long[] eventShape) => new() { EventShape = eventShape };

    protected override void Validate(NadeOptions options) => options.Validate();

    protected override Nade Construct(NadeOptions options) => new Nade(options);
}
