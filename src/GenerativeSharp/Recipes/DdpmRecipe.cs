using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Diffusion;
using GenerativeSharp.Training;

namespace GenerativeSharp.Recipes;

/// <summary>
/// The DDPM recipe (Ho et al. 2020, arXiv:2006.11239): T = 1000, linear betas 1e-4 .. 0.02, the simple loss, gradient
/// norm clipped at 1, a moving average of the weights for sampling. 2-D points: a residual MLP of width 128, depth 3,
/// EMA 0.99, Adam 1e-3, batch 512. Images of side divisible by 4 (8 from side 64): a U-Net of base width 32 with
/// attention at the lowest resolution, EMA 0.999, Adam 2e-4, batch 128, 8-bit pixels as they are (never binarized).
/// <c>classes=N</c> (labelled data) trains a <see cref="ConditionalDdpm"/> for classifier-free guidance (Ho and Salimans
/// 2022, arXiv:2207.12598).
/// </summary>
public sealed class DdpmRecipe : ModelRecipe<DdpmOptions, Ddpm>
{
    public override ModelInfo Info { get; } = new(
        "ddpm", TaxonomyCell.Diffusion, "DDPM", LikelihoodKind.Bound,
        "Denoising diffusion (Ho et al. 2020) with DDPM and DDIM samplers and the variational bound");

    protected override IReadOnlyList<Setting> Setters { get; } =
    [
        new("timesteps", "1000", "diffusion steps T", (o, v) => o with { Timesteps = SettingValue.Integer("timesteps", v, 2) }),
        new("schedule", "linear", "noise schedule: linear (1e-4 .. 0.02) or cosine", (o, v) => o with { Schedule = SettingValue.Choice<ScheduleKind>("schedule", v) }),
        new("variance", "small", "reverse variance: small (posterior beta~) or large (beta)", (o, v) => o with { Variance = SettingValue.Choice<VarianceChoice>("variance", v) }),
        new("network", "unet (images), mlp (2-D)", "noise network: mlp or unet", (o, v) => o with { Network = SettingValue.Choice<DiffusionNetwork>("network", v) }),
        new("hidden", "128", "MLP width", (o, v) => o with { Hidden = SettingValue.Integer("hidden", v, 1) }, o => o.Network == DiffusionNetwork.Mlp),
        new("depth", "3", "MLP residual blocks", (o, v) => o with { Depth = SettingValue.Integer("depth", v, 1) }, o => o.Network == DiffusionNetwork.Mlp),
        new("channels", "32", "U-Net base width", (o, v) => o with { Channels = SettingValue.Integer("channels", v, 1) }, o => o.Network == DiffusionNetwork.Unet),
        new("attention", "true", "self-attention at the U-Net's lowest resolution", (o, v) => o with { Attention = SettingValue.Boolean("attention", v) },
            o => o.Network == DiffusionNetwork.Unet),
        new("classes", "0", "classes to condition on (0: unconditional); needs labelled data", (o, v) => o with { Classes = SettingValue.Integer("classes", v, 0) }),
        new("label_dropout", "0.1", "probability a training label becomes the null class (classifier-free guidance)",
            (o, v) => o with { LabelDropout = SettingValue.NonNegativeNumber("label_dropout", v) }, o => o.Classes > 0),
        new("ema", "0.999 (images), 0.99 (2-D)", "decay of the weights' moving average used to sample and evaluate",
            (o, v) => o with { Ema = SettingValue.NonNegativeNumber("ema", v) }),
    ];

    public override TrainingDefaults Defaults(DataDescription data) => data.IsVector
        ? new TrainingDefaults(Epochs: 30, BatchSize: 512, LearningRate: 1e-3, Binarize: BinarizationMode.None)
        : new TrainingDefaults(Epochs: 10, BatchSize: 128, LearningRate: 2e-4, Binarize: BinarizationMode.None);

    public override ITrainingStep CreateStep(Ddpm model, double learningRate) => new DiffusionStep(model, learningRate);

    /// <summary>8-bit pixels are modelled as they are (the bound's decoder is discretized on their 256 levels).</summary>
    protected override BinarizationMode BinaryPixelsWanted(DdpmOptions options, DataDescription data) => BinarizationMode.None;

    protected override string? Refusal(DataDescription data)
    {
        if (data.IsVector) return null;
        if (!data.IsImage || data.EventShape[1] != data.EventShape[2])
            return "models points [D] or square images [C, S, S]";
        return UNetNoiseNetwork.Misfit(data.EventShape[1]) is string misfit ? $"{misfit} (use --image-size)" : null;
    }

    /// <summary>classes=N needs labels, at most N classes of them.</summary>
    protected override string? Refusal(DdpmOptions options, DataDescription data) => options.Classes switch
    {
        0 => null,
        _ when data.ClassCount == 0 => $"with classes={options.Classes} needs labelled data (IDX files with labels, or a folder with one sub-folder per class)",
        _ when data.ClassCount > options.Classes => $"with classes={options.Classes} cannot take data of {data.ClassCount} classes; set classes={data.ClassCount}",
        _ => null,
    };

    protected override DdpmOptions DefaultOptions(DataDescription data)
    {
        int levels = data.Values switch { ValueKind.EightBit => 256, ValueKind.Binary => 2, _ => 0 };
        return data.IsVector
            ? new DdpmOptions { EventShape = data.EventShape, Levels = levels }
            : new DdpmOptions { EventShape = data.EventShape, Network = DiffusionNetwork.Unet, Ema = 0.999, Levels = levels };
    }

    protected override void Validate(DdpmOptions options) => options.Validate();

    protected override Ddpm Construct(DdpmOptions options) => options.Classes > 0 ? new ConditionalDdpm(options) : new Ddpm(options);
}
