using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Autoregressive;
using GenerativeSharp.Models.Autoregressive.Pixels;
using TorchSharp;

namespace GenerativeSharp.Recipes;

/// <summary>
/// The PixelCNN recipe: 7x7 type-A convolution, 7 residual blocks of 64/32 channels, Bernoulli
/// pixels with dynamic binarization; <c>likelihood=softmax256</c> or <c>logisticmixture</c> models
/// the 8-bit pixels instead (then the data is not binarized unless --binarize says so).
/// </summary>
public sealed class PixelCnnRecipe : FullyVisibleRecipe<PixelCnnOptions, PixelCnn>
{
    public override ModelInfo Info { get; } = new(
        "pixelcnn", TaxonomyCell.FullyVisibleBeliefNet, "PixelCNN", LikelihoodKind.Exact,
        "PixelCNN with type A/B masked convolutions (van den Oord et al. 2016); binary or 8-bit pixels");

    protected override IReadOnlyList<Setting> Setters { get; } =
    [
        new("channels", "32", "h: residual blocks carry 2h channels", (o, v) => o with { Channels = SettingValue.Integer("channels", v, 1) }),
        new("blocks", "7", "residual blocks after the 7x7 type-A convolution", (o, v) => o with { Blocks = SettingValue.Integer("blocks", v, 0) }),
        new("likelihood", "bernoulli", "pixel distribution: bernoulli, softmax256 or logisticmixture",
            (o, v) => o with { Likelihood = SettingValue.Choice<PixelLikelihoodKind>("likelihood", v) }),
        new("mixtures", "5", "logistics per pixel (likelihood=logisticmixture)", (o, v) => o with { Mixtures = SettingValue.Integer("mixtures", v, 1) },
            o => o.Likelihood == PixelLikelihoodKind.LogisticMixture),
    ];

    protected override PixelLikelihoodKind Likelihood(PixelCnnOptions options) => options.Likelihood;

    /// <summary>Grey-scale: binary pixels; colour: the discretized logistic mixture over the three channels (PixelCNN++).</summary>
    protected override PixelCnnOptions DefaultImageOptions(long[] eventShape) => eventShape[0] == 3
        ? new() { EventShape = eventShape, Likelihood = PixelLikelihoodKind.LogisticMixture }
        : new() { EventShape = eventShape };

    /// <summary>Grey-scale or colour images.</summary>
    protected override string? Refusal(DataDescription data) =>
        data.IsGrey || data.IsColour ? null : "models grey-scale [1, H, W] or colour [3, H, W] images: give --data an image data set";

    protected override void Validate(PixelCnnOptions options) => options.Validate();

    protected override PixelCnn Construct(PixelCnnOptions options) => new PixelCnn(options);
}
