using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Autoregressive;
using GenerativeSharp.Models.Autoregressive.Pixels;
using TorchSharp;

namespace GenerativeSharp.Recipes;

/// <summary>
/// The Gated PixelCNN recipe: 12 gated layers of 64 channels (7x7 then 3x3), Bernoulli pixels with
/// dynamic binarization; <c>likelihood=softmax256</c> or <c>logisticmixture</c> models 8-bit
/// pixels, <c>classes=N</c> makes it class-conditional.
/// </summary>
public sealed class GatedPixelCnnRecipe : FullyVisibleRecipe<GatedPixelCnnOptions, GatedPixelCnn>
{
    public override ModelInfo Info { get; } = new(
        "gated-pixelcnn", TaxonomyCell.FullyVisibleBeliefNet, "Gated PixelCNN", LikelihoodKind.Exact,
        "Gated PixelCNN with vertical and horizontal stacks, no blind spot, optionally class-conditional (van den Oord et al. 2016b)");

    protected override IReadOnlyList<Setting> Setters { get; } =
    [
        new("channels", "64", "feature maps of each stack", (o, v) => o with { Channels = SettingValue.Integer("channels", v, 1) }),
        new("layers", "12", "gated layers (7x7, then 3x3)", (o, v) => o with { Layers = SettingValue.Integer("layers", v, 1) }),
        new("classes", "0", "classes to condition on (0: unconditional)", (o, v) => o with { Classes = SettingValue.Integer("classes", v, 0) }),
        new("likelihood", "bernoulli", "pixel distribution: bernoulli, softmax256 or logisticmixture",
            (o, v) => o with { Likelihood = SettingValue.Choice<PixelLikelihoodKind>("likelihood", v) }),
        new("mixtures", "5", "logistics per pixel (likelihood=logisticmixture)", (o, v) => o with { Mixtures = SettingValue.Integer("mixtures", v, 1) },
            o => o.Likelihood == PixelLikelihoodKind.LogisticMixture),
    ];

    protected override PixelLikelihoodKind Likelihood(GatedPixelCnnOptions options) => options.Likelihood;

    /// <summary>Grey-scale: binary pixels; colour: the discretized logistic mixture over the three channels (PixelCNN++).</summary>
    protected override GatedPixelCnnOptions DefaultImageOptions(long[] eventShape) => eventShape[0] == 3
        ? new() { EventShape = eventShape, Likelihood = PixelLikelihoodKind.LogisticMixture }
        : new() { EventShape = eventShape };

    /// <summary>Grey-scale or colour images.</summary>
    protected override string? Refusal(DataDescription data) =>
        data.IsGrey || data.IsColour ? null : "models grey-scale [1, H, W] or colour [3, H, W] images: give --data an image data set";

    protected override void Validate(GatedPixelCnnOptions options) => options.Validate();

    protected override GatedPixelCnn Construct(GatedPixelCnnOptions options) => GatedPixelCnn.Create(options);
}
