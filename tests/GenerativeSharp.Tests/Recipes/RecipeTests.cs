using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Recipes;

namespace GenerativeSharp.Tests.Recipes;

public sealed class RecipeTests
{
    [Fact]
    public void Every_recipe_builds_and_trains_a_step_on_tiny_data_of_each_kind()
    {
        foreach (IModelRecipe recipe in ModelCatalog.All)
            foreach (var (kind, shape) in new[] { (DataKind.Images, new long[] { 1, 12, 12 }), (DataKind.Points, new long[] { 2 }) })
            {
                if (kind == DataKind.Points && (recipe.Info.Cell == TaxonomyCell.FullyVisibleBeliefNet || recipe.Info.Name == "cgan"))
                {
                    // NADE and MADE model binary images only and say so; cgan needs labels, which the 2-D toys lack.
                    Assert.Throws<InvalidInputException>(() => recipe.ConfigureOptions(shape, kind, new Dictionary<string, string>()));
                    continue;
                }
                string options = recipe.ConfigureOptions(shape, kind, new Dictionary<string, string>());
                using ModelInstance model = ModelInstance.Create(recipe, options, 0, TorchSharp.torch.CPU);
                var step = recipe.CreateStep(model.Module, 1e-3);
                using var generator = new TorchSharp.torch.Generator(1);
                using var batch = kind == DataKind.Images ? SyntheticImages.Make(8, 1).bernoulli(generator) : TorchSharp.torch.randn(8, 2, generator: generator);
                using var labels = TorchSharp.torch.arange(8, TorchSharp.torch.ScalarType.Int64) % 4;
                Assert.True(double.IsFinite(step.Step(batch, kind == DataKind.Images ? labels : null, generator)["loss"]), $"{recipe.Info.Name} on {kind}");
                Assert.Equal(shape, ((IGenerativeModel)model.Module).EventShape);
            }
    }

    [Fact]
    public void Settings_are_validated_and_round_trip_through_json()
    {
        IModelRecipe recipe = ModelCatalog.Get("VAE");
        string json = recipe.ConfigureOptions([1, 28, 28], DataKind.Images, new Dictionary<string, string> { ["latent"] = "7", ["network"] = "conv" });
        Assert.Contains("\"Latent\":7", json);
        Assert.Contains("\"Network\":\"Conv\"", json);
        var e = Assert.Throws<InvalidInputException>(() => recipe.ConfigureOptions([2], DataKind.Points, new Dictionary<string, string> { ["network"] = "conv" }));
        Assert.Contains("network=conv", e.Message);
        Assert.Throws<InvalidInputException>(() => recipe.ConfigureOptions([2], DataKind.Points, new Dictionary<string, string> { ["beta"] = "0" }));
        Assert.Throws<InvalidInputException>(() => ModelCatalog.Get("pixelsnail"));
    }
}
