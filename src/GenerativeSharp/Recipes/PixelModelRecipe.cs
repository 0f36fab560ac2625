using GenerativeSharp.Data;
using GenerativeSharp.Models.Autoregressive.Pixels;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Recipes;

/// <summary>
/// What the PixelCNN recipes share: the FVBN trainer defaults, one objective, images only, and a
/// binarization that follows the pixel likelihood (binary pixels: dynamic; 8-bit pixels: none).
/// </summary>
public abstract class PixelModelRecipe<TOptions> : ModelRecipe<TOptions> where TOptions : class
{
    public override TrainingDefaults Defaults(DataKind kind) => BinaryImageRecipes.Defaults;

    public override BinarizationMode DefaultBinarization(string optionsJson, DataKind kind) =>
        BinaryImageRecipes.BinarizationFor(Likelihood(Deserialize(optionsJson)));

    public override ITrainingStep CreateStep(torch.nn.Module model, double learningRate) =>
        new SingleObjectiveStep(model, learningRate);

    /// <summary>The pixel distribution the options choose.</summary>
    protected abstract PixelLikelihoodKind Likelihood(TOptions options);

    /// <summary>The recipe's default options for images of <paramref name="eventShape"/>.</summary>
    protected abstract TOptions DefaultImageOptions(long[] eventShape);

    protected sealed override TOptions DefaultOptions(long[] eventShape, DataKind kind)
    {
        BinaryImageRecipes.RequireImages(Info.Name, kind);
        return DefaultImageOptions(eventShape);
    }
}
