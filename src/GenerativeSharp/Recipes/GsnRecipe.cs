using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.MarkovChain;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Recipes;

/// <summary>
/// The GSN recipe (walkback denoising autoencoder). Images: salt-and-pepper corruption, an MLP
/// with ReLU layers and a Bernoulli reconstruction, dynamic binarization. 2-D points: Gaussian
/// corruption and a Gaussian reconstruction whose std the network predicts.
/// </summary>
public sealed class GsnRecipe : ModelRecipe<GsnOptions, Gsn>
{
    public override ModelInfo Info { get; } = new(
        "gsn", TaxonomyCell.MarkovChainImplicit, "GSN", LikelihoodKind.None,
        "Generative stochastic network (Bengio et al. 2014): walkback denoising autoencoder, sampled by its Markov chain");

    protected override IReadOnlyList<Setting> Setters { get; } =
    [
        new("hidden", "1000 (images), 128 (2-D)", "hidden width of the reconstruction MLP",
            (o, v) => o with { Hidden = SettingValue.Integer("hidden", v, 1) }),
        new("depth", "2", "hidden layers of the reconstruction MLP",
            (o, v) => o with { Depth = SettingValue.Integer("depth", v, 1) }),
        new("activation", "relu", "hidden nonlinearity: relu or tanh",
            (o, v) => o with { Activation = SettingValue.Choice<GsnActivation>("activation", v) }),
        new("output", "bernoulli (images), gaussian (2-D)", "reconstruction P(x|x~): bernoulli or gaussian",
            (o, v) => o with { Output = SettingValue.Choice<GsnOutput>("output", v) }),
        new("output_std", "learned", "std of a gaussian output: learned or a positive number",
            (o, v) => o with { OutputStd = v.Equals("learned", StringComparison.OrdinalIgnoreCase) ? null : SettingValue.PositiveNumber("output_std", v) },
            o => o.Output == GsnOutput.Gaussian),
        new("noise", "saltpepper (images), gaussian (2-D)", "corruption C(x~|x): saltpepper or gaussian",
            (o, v) => o with { Noise = SettingValue.Choice<GsnCorruption>("noise", v) }),
        new("noise_prob", "0.4", "salt-and-pepper probability of replacing a pixel by a random bit, in (0, 1]",
            (o, v) => o with { NoiseProbability = SettingValue.PositiveNumber("noise_prob", v) },
            o => o.Noise == GsnCorruption.SaltPepper),
        new("noise_std", "0.5 (images), 0.2 (2-D)", "std of gaussian corruption",
            (o, v) => o with { NoiseStd = SettingValue.PositiveNumber("noise_std", v) },
            o => o.Noise == GsnCorruption.Gaussian),
        new("walkback", "3", "walkback steps K of the training objective",
            (o, v) => o with { Walkback = SettingValue.Integer("walkback", v, 1) }),
        new("walkback_draw", "sample", "what the walkback chain carries: sample or mean",
            (o, v) => o with { WalkbackDraw = SettingValue.Choice<GsnWalkbackDraw>("walkback_draw", v) }),
        new("burnin", "100", "chain steps from noise before a sample is returned",
            (o, v) => o with { Burnin = SettingValue.Integer("burnin", v, 1) }),
    ];

    public override TrainingDefaults Defaults(DataDescription data) => data.IsVector
        ? new TrainingDefaults(Epochs: 20, BatchSize: 256, LearningRate: 1e-3, Binarize: BinarizationMode.None)
        : new TrainingDefaults(Epochs: 20, BatchSize: 100, LearningRate: 1e-3, Binarize: BinarizationMode.Dynamic);

    public override ITrainingStep CreateStep(Gsn model, double learningRate) =>
        new SingleObjectiveStep(model, learningRate);

    protected override GsnOptions DefaultOptions(DataDescription data) => data.IsVector
        ? new GsnOptions
        {
            EventShape = data.EventShape, Hidden = 128, Depth = 2, Output = GsnOutput.Gaussian,
            Noise = GsnCorruption.Gaussian, NoiseStd = 0.2,
        }
        : new GsnOptions { EventShape = data.EventShape };

    protected override string? Refusal(DataDescription data) =>
        data.IsColour ? "models grey-scale images [1, H, W] or points [D]" : null;

    /// <summary>Binary pixels for the Bernoulli reconstruction; a Gaussian one sees the 8-bit data as it is.</summary>
    protected override BinarizationMode BinaryPixelsWanted(GsnOptions options, DataDescription data) =>
        options.Output == GsnOutput.Bernoulli ? BinarizationMode.Dynamic : BinarizationMode.None;

    protected override void Validate(GsnOptions options) => options.Validate();

    protected override Gsn Construct(GsnOptions options) => new Gsn(options);
}
