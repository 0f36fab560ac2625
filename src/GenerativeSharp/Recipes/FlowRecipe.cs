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
public abstract class FlowRecipe : ModelRecipe<FlowOptions>
{
    /// <summary>Gradient-norm clip of every flow recipe (rarely active; guards early image steps).</summary>
    public const double ClipGradientNorm = 100;

    protected override IReadOnlyList<Setting> Setters { get; } =
    [
        new("layers", "per model", "coupling / autoregressive layers (per scale for multi-scale images)",
            (o, v) => o with { Layers = SettingValue.Integer("layers", v, 1) }),
        new("hidden", "per model", "hidden width of the conditioners (units, or channels for images)",
            (o, v) => o with { Hidden = SettingValue.Integer("hidden", v, 1) }),
        new("depth", "per model", "hidden layers of MLP / MADE conditioners",
            (o, v) => o with { Depth = SettingValue.Integer("depth", v, 1) }),
        new("levels", "2", "scales of the multi-scale image architectures (realnvp, glow)",
            (o, v) => o with { Levels = SettingValue.Integer("levels", v, 1) }),
        new("alpha", "0.05", "logit preprocessing a in s = a + (1 - 2a) y (images)",
            (o, v) => o with { Alpha = SettingValue.NonNegativeNumber("alpha", v) }),
    ];

    public override TrainingDefaults Defaults(DataKind kind) => kind == DataKind.Points
        ? new TrainingDefaults(Epochs: 20, BatchSize: 512, LearningRate: 2e-3, Binarize: BinarizationMode.None)
        : new TrainingDefaults(Epochs: 10, BatchSize: 64, LearningRate: 1e-3, Binarize: BinarizationMode.None);

    public override ITrainingStep CreateStep(torch.nn.Module model, double learningRate) =>
        new SingleObjectiveStep(model, learningRate, ClipGradientNorm);

    protected override FlowOptions DefaultOptions(long[] eventShape, DataKind kind) =>
        kind == DataKind.Points ? PointOptions(eventShape) : ImageOptions(eventShape);

    /// <summary>Defaults on 2-D points (no dequantization).</summary>
    protected abstract FlowOptions PointOptions(long[] eventShape);

    /// <summary>Defaults on 8-bit images (dequantized).</summary>
    protected abstract FlowOptions ImageOptions(long[] eventShape);

    protected override void Validate(FlowOptions options) => options.Validate();
}
