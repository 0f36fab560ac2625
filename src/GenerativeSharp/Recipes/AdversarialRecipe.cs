using GenerativeSharp.Data;
using GenerativeSharp.Models.Adversarial;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Recipes;

/// <summary>
/// What the GAN recipes (gan, dcgan, wgan-gp, cgan) share: the settings table, validation, the model and the
/// <see cref="AdversarialStep"/>. A recipe supplies its name, default options and trainer defaults. On
/// 2-D points every recipe uses MLP networks.
/// </summary>
public abstract class AdversarialRecipe : ModelRecipe<AdversarialOptions, Gan>
{
    protected override IReadOnlyList<Setting> Setters { get; } =
    [
        new("architecture", "conv (dcgan, wgan-gp images), mlp (gan, 2-D)", "networks: mlp or conv",
            (o, v) => o with { Architecture = SettingValue.Choice<GanArchitecture>("architecture", v) }),
        new("latent", "recipe's", "latent dimension", (o, v) => o with { Latent = SettingValue.Integer("latent", v, 1) }),
        new("hidden", "recipe's", "MLP width or conv base channels", (o, v) => o with { Hidden = SettingValue.Integer("hidden", v, 1) }),
        new("loss", "recipe's", "minimax, nonsaturating, hinge or wasserstein",
            (o, v) => o with { Loss = SettingValue.Choice<AdversarialLoss>("loss", v) }),
        new("n_critic", "1 (5 for wgan-gp)", "critic updates per generator update",
            (o, v) => o with { CriticSteps = SettingValue.Integer("n_critic", v, 1) }),
        new("gp", "0 (wgan-gp: 10 images, 0.1 2-D)", "gradient penalty weight lambda",
            (o, v) => o with { GradientPenalty = SettingValue.NonNegativeNumber("gp", v) }),
        new("spectral_norm", "false", "spectral normalisation of the critic",
            (o, v) => o with { SpectralNorm = SettingValue.Boolean("spectral_norm", v) }),
        new("critic_norm", "batch (dcgan), none", "normalisation in the critic: none or batch",
            (o, v) => o with { CriticNorm = SettingValue.Choice<CriticNormalization>("critic_norm", v) },
            o => o.Architecture == GanArchitecture.Conv),
        new("ema", "0.999 (0.99 on 2-D)", "decay of the moving average of G used for sampling (0 = G itself)",
            (o, v) => o with { EmaDecay = SettingValue.NonNegativeNumber("ema", v) }),
        new("beta1", "0.5", "Adam beta1 of both players", (o, v) => o with { Beta1 = SettingValue.NonNegativeNumber("beta1", v) }),
        new("beta2", "0.999 (0.9 for wgan-gp)", "Adam beta2 of both players", (o, v) => o with { Beta2 = SettingValue.NonNegativeNumber("beta2", v) }),
        new("classes", "0 (10 for cgan)", "classes to condition on (needs labelled data); 0 = unconditional",
            (o, v) => o with { Classes = SettingValue.Integer("classes", v, 0) }),
    ];

    public override ITrainingStep CreateStep(Gan model, double learningRate) => new AdversarialStep(model, learningRate);

    protected override void Validate(AdversarialOptions options) => options.Validate();

    protected override Gan Construct(AdversarialOptions options) => Gan.Create(options);

    /// <summary>MLP defaults on 2-D points shared by all GAN recipes: width 128, latent 8, EMA 0.99.</summary>
    protected static AdversarialOptions PointOptions(long[] eventShape) => new()
    {
        EventShape = eventShape, Architecture = GanArchitecture.Mlp, Hidden = 128, Latent = 8,
        CriticNorm = CriticNormalization.None, EmaDecay = 0.99,
    };
}
