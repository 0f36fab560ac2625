using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Variational;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Recipes;

/// <summary>
/// The VAE recipe. Defaults reproduce the reference model: MLP 784-400-20, ReLU, Bernoulli decoder,
/// Adam 1e-3, batch 128, dynamic binarization; on 2-D data a Gaussian decoder with a wider latent.
/// </summary>
public sealed class VaeRecipe : ModelRecipe<VaeOptions, Vae>
{
    public override ModelInfo Info { get; } = new(
        "vae", TaxonomyCell.Variational, "VAE", LikelihoodKind.Bound,
        "Variational autoencoder (Kingma & Welling 2014) with beta-VAE and IWAE objectives");

    protected override IReadOnlyList<Setting> Setters { get; } =
    [
        new("network", "mlp", "encoder/decoder: mlp or conv", (o, v) => o with { Network = SettingValue.Choice<VaeNetwork>("network", v) }),
        new("hidden", "400 (images), 128 (2-D)", "hidden width", (o, v) => o with { Hidden = SettingValue.Integer("hidden", v, 1) }),
        new("depth", "1 (images), 2 (2-D)", "hidden layers per MLP", (o, v) => o with { Depth = SettingValue.Integer("depth", v, 1) },
            o => o.Network == VaeNetwork.Mlp),
        new("latent", "20 (images), 2 (2-D)", "latent dimension", (o, v) => o with { Latent = SettingValue.Integer("latent", v, 1) }),
        new("decoder", "bernoulli (images), gaussian (2-D)", "likelihood p(x|z): bernoulli or gaussian",
            (o, v) => o with { Decoder = SettingValue.Choice<VaeDecoder>("decoder", v) }),
        new("dequantize", "true (colour images), false", "model 8-bit pixels dequantized, so the bound is on log P(k) (decoder=gaussian)",
            (o, v) => o with { Dequantize = SettingValue.Boolean("dequantize", v) }, o => o.Decoder == VaeDecoder.Gaussian),
        new("beta", "1", "KL weight (beta-VAE); needs k=1", (o, v) => o with { Beta = SettingValue.PositiveNumber("beta", v) }),
        new("k", "1", "importance samples of the training objective (k > 1: IWAE)",
            (o, v) => o with { ImportanceSamples = SettingValue.Integer("k", v, 1) }),
    ];

    public override TrainingDefaults Defaults(DataDescription data) => data.IsVector
        ? new TrainingDefaults(Epochs: 20, BatchSize: 256, LearningRate: 3e-4, Binarize: BinarizationMode.None)
        : new TrainingDefaults(Epochs: 20, BatchSize: 128, LearningRate: 1e-3, Binarize: BinarizationMode.Dynamic);

    public override ITrainingStep CreateStep(Vae model, double learningRate) =>
        new SingleObjectiveStep(model, learningRate);

    /// <summary>
    /// 2-D points: a Gaussian decoder with a wider latent. Grey-scale images: the reference MLP with
    /// a Bernoulli decoder (binarized pixels). Colour images: convolutional (when H and W divide
    /// by 4), latent 64, a Gaussian decoder on dequantized 8-bit pixels.
    /// </summary>
    protected override VaeOptions DefaultOptions(DataDescription data)
    {
        if (data.IsVector)
            return new VaeOptions { EventShape = data.EventShape, Hidden = 128, Depth = 2, Latent = 2, Decoder = VaeDecoder.Gaussian };
        if (data.IsGrey)
            return new VaeOptions { EventShape = data.EventShape };
        bool conv = data.EventShape[1] % 4 == 0 && data.EventShape[2] % 4 == 0;
        return new VaeOptions
        {
            EventShape = data.EventShape, Network = conv ? VaeNetwork.Conv : VaeNetwork.Mlp, Hidden = 512, Latent = 64,
            Decoder = VaeDecoder.Gaussian, Dequantize = data.Values == ValueKind.EightBit,
        };
    }

    /// <summary>Binary pixels for the Bernoulli decoder; a Gaussian decoder sees the 8-bit data as it is.</summary>
    protected override BinarizationMode BinaryPixelsWanted(VaeOptions options, DataDescription data) =>
        options.Decoder == VaeDecoder.Bernoulli ? BinarizationMode.Dynamic : BinarizationMode.None;

    protected override void Validate(VaeOptions options) => options.Validate();

    protected override Vae Construct(VaeOptions options) => new Vae(options);
}
