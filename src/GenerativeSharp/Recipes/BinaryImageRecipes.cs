using GenerativeSharp.Data;
using GenerativeSharp.Models.Autoregressive.Pixels;
using GenerativeSharp.Training;

namespace GenerativeSharp.Recipes;

/// <summary>What the fully visible belief-net recipes (NADE, MADE, PixelCNNs) share: images only, one set of trainer defaults.</summary>
internal static class BinaryImageRecipes
{
    /// <summary>Adam 1e-3, batch 100, 20 epochs, fresh binarization every step.</summary>
    public static TrainingDefaults Defaults { get; } = new(Epochs: 20, BatchSize: 100, LearningRate: 1e-3, Binarize: BinarizationMode.Dynamic);

    /// <summary>A one-line refusal of 2-D points, naming the model.</summary>
    public static void RequireImages(string model, DataKind kind)
    {
        if (kind == DataKind.Points)
            throw new InvalidInputException($"{model} models binary images; give --data an image dataset (e.g. mnist-10k), not 2-D points.");
    }

    /// <summary>Binary pixels are binarized afresh every step; 8-bit pixel models see the data as it is.</summary>
    public static BinarizationMode BinarizationFor(PixelLikelihoodKind likelihood) =>
        likelihood == PixelLikelihoodKind.Bernoulli ? BinarizationMode.Dynamic : BinarizationMode.None;
}
