using GenerativeSharp.Data;
using GenerativeSharp.Recipes;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests;

/// <summary>Small VAEs built through the catalog, as the CLI builds them.</summary>
internal static class TestModels
{
    public static ModelInstance Vae(long[] eventShape, long seed = 0, params (string Key, string Value)[] settings)
    {
        IModelRecipe recipe = ModelCatalog.Get("vae");
        string options = recipe.ConfigureOptions(DataDescription.FromShape(eventShape), settings.ToDictionary(s => s.Key, s => s.Value));
        return ModelInstance.Create(recipe, options, seed, CPU);
    }

    /// <summary>Image splits in memory: 256 train and 64 test synthetic 12x12 images.</summary>
    public static DataSplits ImageSplits() => new("synthetic", "synthetic images", DataDescription.Images([1, SyntheticImages.Size, SyntheticImages.Size]),
        new TensorDataset(SyntheticImages.Make(256, 1), null), new TensorDataset(SyntheticImages.Make(64, 2), null), toy: null);
}
