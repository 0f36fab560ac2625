using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.ChangeOfVariables;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Recipes;

/// <summary>
/// What the change-of-variables recipes share: the <c>--set</c> keys of <see cref="FlowOptions"/>,
/// raw 8-bit images (no binarization: the model dequantizes them), Adam with gradient-norm clipping.
/// Each recipe supplies its info, its default options and its constructor.
/// </summary>
public abstract class FlowRecipe : ModelRecipe<FlowOptions, FlowModel>
{
    /// <summary>Gradient-norm clip on 2-D points (the loss is in nats per example).</summary>
    public const double PointClipGradientNorm = 100;

    /// <summary>Gradient-norm clip on images: the loss sums D = 784 dimensions, so norms are larger; guards early steps.</summary>
    public const double ImageClipGradientNorm = 2000;

    /// <summary>
    /// On 2-D points the learning rate halves every 1,000 updates (down to 2% of its start): the
    /// recipe's 50 epochs of 98 steps end near lr0 / 30, which closes most of the KL gap that
    /// gradient noise leaves at a constant rate.
    /// </summary>
    public const int PointHalfLife = 1000;

    /// <summary>The lowest learning rate of a decay, as a fraction of the first.</summary>
    public const double DecayFloor = 0.02;

    private IReadOnlyList<Setting>? setters;

    /// <summary>
    /// The keys of <see cref="FlowOptions"/>, each refused where the model has no such part:
    /// levels and coupling only on the multi-scale models, depth only where an MLP or MADE
    /// conditioner has hidden layers, bins and tail bound only on spline couplings, alpha only
    /// on dequantized images.
    /// </summary>
    protected override IReadOnlyList<Setting> Setters => setters ??=
    [
        new("layers", "per model", "coupling / autoregressive layers (per scale for multi-scale images)",
            (o, v) => o with { Layers = SettingValue.Integer("layers", v, 1) }),
        new("hidden", "per model", "hidden width of the conditioners (units, or channels for images)",
            (o, v) => o with { Hidden = SettingValue.Integer("hidden", v, 1) }),
        new("depth", "per model", "hidden layers of MLP / MADE conditioners",
            (o, v) => o with { Depth = SettingValue.Integer("depth", v, 1) }, o => !(MultiScale && o.EventShape.Length == 3)),
        new("levels", "2", "scales of the multi-scale image architectures (realnvp, glow)",
            (o, v) => o with { Levels = SettingValue.Integer("levels", v, 1) }, o => MultiScale && o.EventShape.Length == 3),
        new("coupling", "affine", "coupling transform of realnvp and glow: affine, or spline (rational-quadratic, Durkan et al. 2019)",
            (o, v) => o with { Coupling = SettingValue.Choice<CouplingKind>("coupling", v) }, _ => MultiScale),
        new("bins", "8", "bins of spline couplings",
            (o, v) => o with { Bins = SettingValue.Integer("bins", v, 2) }, o => o.Coupling == CouplingKind.Spline),
        new("tail_bound", "4", "spline couplings act on [-B, B] and are the identity outside",
            (o, v) => o with { TailBound = SettingValue.PositiveNumber("tail_bound", v) }, o => o.Coupling == CouplingKind.Spline),
        new("lr_half_life", "1000 (2-D), 0 (images)", "training: the learning rate halves every this many steps (to 2%); 0 = constant",
            (o, v) => o with { LearningRateHalfLife = SettingValue.Integer("lr_half_life", v, 0) }),
        new("alpha", "0.05", "logit preprocessing a in s = a + (1 - 2a) y (images)",
            (o, v) => o with { Alpha = SettingValue.NonNegativeNumber("alpha", v) }, o => o.Dequantize),
    ];

    public override TrainingDefaults Defaults(DataDescription data) => data.IsVector
        ? new TrainingDefaults(Epochs: 50, BatchSize: 512, LearningRate: 2e-3, Binarize: BinarizationMode.None)
        : new TrainingDefaults(Epochs: 10, BatchSize: 64, LearningRate: 1e-3, Binarize: BinarizationMode.None);

    public override ITrainingStep CreateStep(FlowModel model, double learningRate) =>
        new SingleObjectiveStep(model, learningRate,
            model.Options.Dequantize ? ImageClipGradientNorm : PointClipGradientNorm,
            model.Options.LearningRateHalfLife > 0 ? new LearningRateDecay(model.Options.LearningRateHalfLife, DecayFloor) : null);

    protected override FlowOptions DefaultOptions(DataDescription data) =>
        data.IsVector ? PointOptions(data.EventShape) : ImageOptions(data.EventShape);

    /// <summary>Defaults on 2-D points (no dequantization).</summary>
    protected abstract FlowOptions PointOptions(long[] eventShape);

    /// <summary>Defaults on 8-bit images (dequantized).</summary>
    protected abstract FlowOptions ImageOptions(long[] eventShape);

    /// <summary>Whether the model squeezes images <see cref="FlowOptions.Levels"/> times (RealNVP, Glow).</summary>
    protected virtual bool MultiScale => false;

    protected override void Validate(FlowOptions options)
    {
        options.Validate();
        if (MultiScale) options.RequireSqueezable(Info.Name);
    }
}
