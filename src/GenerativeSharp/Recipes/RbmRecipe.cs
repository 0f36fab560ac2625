using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Boltzmann;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Recipes;

/// <summary>
/// The RBM recipe: 500 binary hidden units on binarized images, CD-1 by default (k=10 for CD-10,
/// pcd=true for persistent CD), SGD with momentum 0.5, lr 0.05, batch 100, weight decay 1e-4 on W.
/// On 2-D points a Gaussian-Bernoulli RBM.
/// </summary>
public sealed class RbmRecipe : ModelRecipe<RbmOptions, Rbm>
{
    public override ModelInfo Info { get; } = new(
        "rbm", TaxonomyCell.MarkovChainBoltzmann, "RBM", LikelihoodKind.Estimate,
        "Restricted Boltzmann machine trained by CD-k or persistent CD; log Z by AIS (exact for small H)");

    protected override IReadOnlyList<Setting> Setters { get; } =
    [
        new("hidden", "500 (images), 64 (2-D)", "hidden units", (o, v) => o with { Hidden = SettingValue.Integer("hidden", v, 1) }),
        new("visible", "bernoulli (images), gaussian (2-D)", "visible units: bernoulli or gaussian (unit variance)",
            (o, v) => o with { Visible = SettingValue.Choice<RbmVisible>("visible", v) }),
        new("k", "1", "Gibbs steps of the negative phase (CD-k)", (o, v) => o with { GibbsSteps = SettingValue.Integer("k", v, 1) }),
        new("pcd", "false", "persistent chains (PCD) instead of restarting at the data", (o, v) => o with { Persistent = SettingValue.Boolean("pcd", v) }),
        new("momentum", "0.5", "SGD momentum", (o, v) => o with { Momentum = SettingValue.NonNegativeNumber("momentum", v) }),
        new("weight_decay", "0.0001", "L2 weight decay on W", (o, v) => o with { WeightDecay = SettingValue.NonNegativeNumber("weight_decay", v) }),
        new("burnin", "1000", "Gibbs sweeps from noise before a sample is returned",
            (o, v) => o with { SampleBurnIn = SettingValue.Integer("burnin", v, 0) }),
    ];

    public override TrainingDefaults Defaults(DataDescription data) => data.IsVector
        ? new TrainingDefaults(Epochs: 20, BatchSize: 256, LearningRate: 0.01, Binarize: BinarizationMode.None)
        : new TrainingDefaults(Epochs: 20, BatchSize: 100, LearningRate: 0.05, Binarize: BinarizationMode.Dynamic);

    public override ITrainingStep CreateStep(Rbm model, double learningRate) =>
        new ContrastiveDivergenceStep(model, learningRate);

    /// <summary>Points: Gaussian visible units, 64 hidden; grey-scale images: binary units; colour images: Gaussian visible units.</summary>
    protected override RbmOptions DefaultOptions(DataDescription data) =>
        data.IsVector ? new RbmOptions { EventShape = data.EventShape, Hidden = 64, Visible = RbmVisible.Gaussian }
        : data.IsGrey ? new RbmOptions { EventShape = data.EventShape }
        : new RbmOptions { EventShape = data.EventShape, Visible = RbmVisible.Gaussian };

    /// <summary>Binary pixels for binary visible units; Gaussian units see the 8-bit data as it is.</summary>
    protected override BinarizationMode BinaryPixelsWanted(RbmOptions options, DataDescription data) =>
        options.Visible == RbmVisible.Bernoulli ? BinarizationMode.Dynamic : BinarizationMode.None;

    protected override void Validate(RbmOptions options) => options.Validate();

    protected override Rbm Construct(RbmOptions options) => new Rbm(options);
}
