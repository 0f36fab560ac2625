using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Variational;
using GenerativeSharp.Training;

namespace GenerativeSharp.Recipes;

/// <summary>
/// The VQ-VAE recipe (van den Oord et al. 2017, arXiv:1711.00937): K = 128 codes of dimension 32 on a [H/4, W/4] grid,
/// EMA codebook (decay 0.99, Laplace smoothing 1e-5), commitment beta 0.25, dead codes (unused for 100 steps) revived
/// from the batch's encoder outputs, a Bernoulli decoder on dynamically binarized pixels (grey-scale) or a Gaussian decoder
/// on dequantized 8-bit pixels (colour), and a Gated PixelCNN prior over the code maps trained in the same run; Adam 1e-3,
/// batch 128.
/// </summary>
public sealed class VqVaeRecipe : ModelRecipe<VqVaeOptions, VqVae>
{
    public override ModelInfo Info { get; } = new(
        "vq-vae", TaxonomyCell.Variational, "VQ-VAE", LikelihoodKind.Bound,
        "Vector-quantised VAE with an EMA codebook and a Gated PixelCNN prior over its codes (van den Oord et al. 2017)");

    protected override IReadOnlyList<Setting> Setters { get; } =
    [
        new("decoder", "bernoulli (grey-scale), gaussian (colour)", "likelihood p(x | z_q): bernoulli (binarized pixels) or gaussian (dequantized 8-bit pixels)",
            (o, v) => o with { Decoder = SettingValue.Choice<VaeDecoder>("decoder", v) }),
        new("hidden", "64", "feature maps of the encoder and decoder", (o, v) => o with { Hidden = SettingValue.Integer("hidden", v, 1) }),
        new("codes", "128", "codebook size K (2 to 256)", (o, v) => o with { Codes = SettingValue.Integer("codes", v, 2) }),
        new("dim", "32", "dimension D of each code", (o, v) => o with { CodeDimension = SettingValue.Integer("dim", v, 1) }),
        new("beta", "0.25", "commitment weight", (o, v) => o with { Beta = SettingValue.NonNegativeNumber("beta", v) }),
        new("decay", "0.99", "EMA decay of the codebook", (o, v) => o with { Decay = SettingValue.PositiveNumber("decay", v) }),
        new("dead_after", "100", "training steps without an assignment after which a code is dead",
            (o, v) => o with { DeadAfter = SettingValue.Integer("dead_after", v, 1) }),
        new("revive", "true", "re-initialise dead codes to random encoder outputs of the batch (false: only count them)",
            (o, v) => o with { Revive = SettingValue.Boolean("revive", v) }),
        new("prior", "true", "train a Gated PixelCNN prior over the code maps in the same run", (o, v) => o with { Prior = SettingValue.Boolean("prior", v) }),
        new("train_autoencoder", "true", "false: freeze the encoder, decoder and codebook (copied from a trained vq-vae by --init-from DIR) and train the prior alone on their fixed codes",
            (o, v) => o with { TrainAutoencoder = SettingValue.Boolean("train_autoencoder", v) }),
        new("prior_input", "embedding", "how the prior sees the codes: embedding (learned vectors: codes are categories) or level (k / 255, as runs before the embedding did)",
            (o, v) => o with { PriorInput = SettingValue.Choice<PriorInput>("prior_input", v) }, o => o.Prior),
        new("prior_channels", "32", "feature maps of each stack of the prior",
            (o, v) => o with { PriorChannels = SettingValue.Integer("prior_channels", v, 1) }, o => o.Prior),
        new("prior_layers", "5", "gated layers of the prior", (o, v) => o with { PriorLayers = SettingValue.Integer("prior_layers", v, 1) }, o => o.Prior),
    ];

    public override TrainingDefaults Defaults(DataDescription data) =>
        new(Epochs: 10, BatchSize: 128, LearningRate: 1e-3, Binarize: BinarizationMode.Dynamic);

    public override ITrainingStep CreateStep(VqVae model, double learningRate) => new SingleObjectiveStep(model, learningRate);

    protected override VqVaeOptions DefaultOptions(DataDescription data) => new()
    {
        EventShape = data.EventShape, Decoder = data.IsColour ? VaeDecoder.Gaussian : VaeDecoder.Bernoulli, PriorInput = PriorInput.Embedding,
    };

    /// <summary>Binary pixels for the Bernoulli decoder; the Gaussian decoder sees the 8-bit data as it is.</summary>
    protected override BinarizationMode BinaryPixelsWanted(VqVaeOptions options, DataDescription data) =>
        options.Decoder == VaeDecoder.Bernoulli ? BinarizationMode.Dynamic : BinarizationMode.None;

    /// <summary>Grey-scale or colour 8-bit (or binary) images whose sides divide by 4.</summary>
    protected override string? Refusal(DataDescription data) =>
        data.IsImage && data.Values != ValueKind.Continuous && data.EventShape[1] % 4 == 0 && data.EventShape[2] % 4 == 0 && data.EventShape[1] >= 4 && data.EventShape[2] >= 4
            ? null
            : "models grey-scale or colour 8-bit images [C, H, W] with H and W divisible by 4: give --data such images (or --image-size 28 / 32)";

    protected override string? Refusal(VqVaeOptions options, DataDescription data) =>
        (options.Decoder, data.IsColour, data.Values) switch
        {
            (VaeDecoder.Gaussian, _, not ValueKind.EightBit) => "decoder=gaussian models dequantized 8-bit pixels; these are binary: use decoder=bernoulli",
            (VaeDecoder.Bernoulli, true, _) => "decoder=bernoulli models binarized grey-scale pixels; colour images need decoder=gaussian",
            _ => null,
        };

    protected override void Validate(VqVaeOptions options) => options.Validate();

    protected override VqVae Construct(VqVaeOptions options) => new VqVae(options);
}
