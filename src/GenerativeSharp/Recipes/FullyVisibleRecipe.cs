using GenerativeSharp.Data;
using GenerativeSharp.Models.Autoregressive.Pixels;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Recipes;

/// <summary>
/// What the fully visible belief-net recipes (NADE, MADE, PixelCNNs) share: images only (a
/// one-line refusal of 2-D points that names the model), Adam 1e-3, batch 100, 20 epochs, one
/// objective, and a binarization that follows the pixel likelihood: binary pixels are binarized
/// afresh every step, 8-bit pixel models see the data as it is.
/// </summary>
public abstract class FullyVisibleRecipe<TOptions, TModel> : ModelRecipe<TOptions, TModel>
    where TOptions : class
    where TModel : torch.nn.Module
{
    private static readonly TrainingDefaults ImageDefaults = new(Epochs: 20, BatchSize: 100, LearningRate: 1e-3, Binarize: BinarizationMode.Dynamic);

    public override TrainingDefaults Defaults(DataDescription data) => ImageDefaults;

    protected override BinarizationMode BinaryPixelsWanted(TOptions options, DataDescription data) =>
        Likelihood(options) == PixelLikelihoodKind.Bernoulli ? BinarizationMode.Dynamic : BinarizationMode.None;

    public override ITrainingStep CreateStep(TModel model, double learningRate) =>
        new SingleObjectiveStep(model, learningRate);

    /// <summary>The pixel distribution the options choose; binary unless a model offers 8-bit pixels.</summary>
    protected virtual PixelLikelihoodKind Likelihood(TOptions options) => PixelLikelihoodKind.Bernoulli;

    /// <summary>The recipe's default options for images of <paramref name="eventShape"/>.</summary>
    protected abstract TOptions DefaultImageOptions(long[] eventShape);

    protected sealed override TOptions DefaultOptions(DataDescription data) => DefaultImageOptions(data.EventShape);

    /// <summary>Grey-scale images only (give --data an image data set such as mnist-10k); the PixelCNNs add colour.</summary>
    protected override string? Refusal(DataDescription data) =>
        data.IsGrey ? null : "models grey-scale images [1, H, W]: give --data an image data set such as mnist-10k";
}
