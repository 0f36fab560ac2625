using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Recipes;

namespace GenerativeSharp.Tests.Recipes;

public sealed class RecipeTests
{
    /// <summary>Grey-scale images (labelled), 2-D points, and colour [3, 16, 16] 8-bit images (labelled).</summary>
    public static TheoryData<string> Kinds => new() { "grey", "points", "colour" };

    private static readonly string[] Classes = ["a", "b", "c", "d"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_recipe_builds_and_trains_a_step_on_tiny_data_or_refuses_it_in_one_line(string kind)
    {
        DataDescription data = kind switch
        {
            "grey" => DataDescription.Images([1, 12, 12], Classes),
            "points" => DataDescription.Points(),
            _ => DataDescription.Images([3, 16, 16], Classes),
        };
        foreach (IModelRecipe recipe in ModelCatalog.All)
        {
            bool refused = recipe.Info.Name is "pix2pix" or "cyclegan" or "dfc-vae" || kind switch   // pix2pix and cyclegan need two image folders (tested below); dfc-vae a feature network's shape (DfcVaeTests)
            {
                // NADE and MADE model binary images only; cgan needs labels, which the 2-D toys lack.
                "points" => recipe.Info.Cell == TaxonomyCell.FullyVisibleBeliefNet || recipe.Info.Name is "cgan" or "vq-vae",
                "colour" => recipe.Info.Name is "nade" or "made" or "gsn",
                _ => false,
            };
            if (refused)
            {
                var e = Assert.Throws<InvalidInputException>(() => recipe.ConfigureOptions(data, new Dictionary<string, string>()));
                Assert.StartsWith(recipe.Info.Name + " ", e.Message);
                Assert.DoesNotContain('\n', e.Message);
                continue;
            }
            string options = recipe.ConfigureOptions(data, new Dictionary<string, string>());
            using ModelInstance model = ModelInstance.Create(recipe, options, 0, TorchSharp.torch.CPU);
            var step = recipe.CreateStep(model.Module, 1e-3);
            using var generator = new TorchSharp.torch.Generator(1);
            using var batch = kind switch
            {
                "grey" => SyntheticImages.Make(8, 1).bernoulli(generator),
                "points" => TorchSharp.torch.randn(8, 2, generator: generator),
                _ => (TorchSharp.torch.rand([8, 3, 16, 16], generator: generator) * 255).round() / 255,
            };
            using var labels = TorchSharp.torch.arange(8, TorchSharp.torch.ScalarType.Int64) % 4;
            double loss = step.Step(new Batch(batch, data.ClassCount > 0 ? labels : null), generator)["loss"];
            Assert.True(double.IsFinite(loss), $"{recipe.Info.Name} on {kind}: loss {loss}");
            Assert.Equal(data.EventShape, ((IGenerativeModel)model.Module).EventShape);
            using var samples = TorchSharp.torch.NewDisposeScope();
            Assert.Equal([2L, .. data.EventShape], ((IGenerativeModel)model.Module).Sample(2, generator).shape);
        }
    }

    [Theory]
    [InlineData("dcgan", 32)]
    [InlineData("dcgan", 64)]
    [InlineData("wgan-gp", 32)]
    [InlineData("wgan-gp", 64)]
    [InlineData("cgan", 32)]
    [InlineData("cgan", 64)]
    public void Convolutional_gans_train_a_step_on_colour_images_of_side_32_and_64(string name, int side)
    {
        DataDescription data = DataDescription.Images([3, side, side], Classes);
        IModelRecipe recipe = ModelCatalog.Get(name);
        string options = recipe.ConfigureOptions(data, new Dictionary<string, string> { ["hidden"] = "8", ["latent"] = "6" });
        using ModelInstance model = ModelInstance.Create(recipe, options, 0, TorchSharp.torch.CPU);
        var step = recipe.CreateStep(model.Module, 1e-3);
        using var generator = new TorchSharp.torch.Generator(1);
        using var batch = (TorchSharp.torch.rand([4, 3, side, side], generator: generator) * 255).round() / 255;
        using var labels = TorchSharp.torch.arange(4, TorchSharp.torch.ScalarType.Int64);
        var values = step.Step(new Batch(batch, labels), generator);
        Assert.All(values.Values, v => Assert.True(double.IsFinite(v), $"{name} at {side}: {string.Join(", ", values)}"));
        using var scope = TorchSharp.torch.NewDisposeScope();
        var samples = ((IGenerativeModel)model.Module).Sample(2, generator);
        Assert.Equal(new long[] { 2, 3, side, side }, samples.shape);
        Assert.True(samples.min().item<float>() >= 0 && samples.max().item<float>() <= 1);
    }

    [Theory]
    [InlineData(3, 32)]
    [InlineData(3, 64)]
    [InlineData(1, 32)]
    public void Pix2pix_trains_a_step_on_paired_images_of_side_32_and_64(int channels, int side)
    {
        DataDescription data = DataDescription.Images([channels, side, side], Classes) with { TargetShape = [channels, side, side] };
        IModelRecipe recipe = ModelCatalog.Get("pix2pix");
        string options = recipe.ConfigureOptions(data, new Dictionary<string, string> { ["ngf"] = "8", ["ndf"] = "8" });
        using ModelInstance model = ModelInstance.Create(recipe, options, 0, TorchSharp.torch.CPU);
        var step = recipe.CreateStep(model.Module, 2e-4);
        using var generator = new TorchSharp.torch.Generator(1);
        using var inputs = (TorchSharp.torch.rand([4, channels, side, side], generator: generator) * 255).round() / 255;
        using var targets = 1 - inputs;
        var values = step.Step(new Batch(inputs, null, targets), generator);
        Assert.All(values.Values, v => Assert.True(double.IsFinite(v), $"pix2pix at {side}: {string.Join(", ", values)}"));
        Assert.Contains("g_l1", values.Keys);
        using var scope = TorchSharp.torch.NewDisposeScope();
        var outputs = ((IConditionalSampler)model.Module).Sample(inputs, generator);
        Assert.Equal(new long[] { 4, channels, side, side }, outputs.shape);
        (step as IDisposable)?.Dispose();
    }

    [Theory]
    [InlineData(3, 32)]
    [InlineData(3, 64)]
    [InlineData(1, 32)]
    public void Cyclegan_trains_a_step_on_two_image_domains_of_side_32_and_64(int channels, int side)
    {
        DataDescription data = DataDescription.Images([channels, side, side], Classes) with { TargetShape = [channels, side, side] };
        IModelRecipe recipe = ModelCatalog.Get("cyclegan");
        string options = recipe.ConfigureOptions(data, new Dictionary<string, string> { ["ngf"] = "4", ["ndf"] = "4", ["blocks"] = "2" });
        using ModelInstance model = ModelInstance.Create(recipe, options, 0, TorchSharp.torch.CPU);
        var step = recipe.CreateStep(model.Module, 2e-4);
        using var generator = new TorchSharp.torch.Generator(1);
        using var inputs = (TorchSharp.torch.rand([4, channels, side, side], generator: generator) * 255).round() / 255;
        using var targets = TorchSharp.torch.rand([4, channels, side, side], generator: generator);
        var values = step.Step(new Batch(inputs, null, targets), generator);
        Assert.All(values.Values, v => Assert.True(double.IsFinite(v), $"cyclegan at {side}: {string.Join(", ", values)}"));
        Assert.Contains("cycle_a", values.Keys);
        using var scope = TorchSharp.torch.NewDisposeScope();
        Assert.Equal(new long[] { 4, channels, side, side }, ((IConditionalSampler)model.Module).Sample(inputs, generator).shape);
        (step as IDisposable)?.Dispose();
    }

    [Fact]
    public void Cyclegan_refuses_a_single_folder_and_points_in_one_line()
    {
        IModelRecipe recipe = ModelCatalog.Get("cyclegan");
        foreach (DataDescription data in new[] { DataDescription.Images([3, 32, 32]), DataDescription.Points() })
        {
            var e = Assert.Throws<InvalidInputException>(() => recipe.ConfigureOptions(data, new Dictionary<string, string>()));
            Assert.StartsWith("cyclegan translates between two image domains: give --data A --target B", e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
        var odd = DataDescription.Images([3, 30, 30]) with { TargetShape = [3, 30, 30] };
        var side = Assert.Throws<InvalidInputException>(() => recipe.ConfigureOptions(odd, new Dictionary<string, string>()));
        Assert.Contains("multiple of 4 from 32 to 256", side.Message);
        var cycle = Assert.Throws<InvalidInputException>(() => recipe.ConfigureOptions(odd with { EventShape = [3, 32, 32], TargetShape = [3, 32, 32] },
            new Dictionary<string, string> { ["cycle"] = "sideways" }));
        Assert.Contains("cycle must be both, forward, backward or none", cycle.Message);
    }

    [Fact]
    public void Pix2pix_refuses_unpaired_images_and_points_in_one_line()
    {
        IModelRecipe recipe = ModelCatalog.Get("pix2pix");
        foreach (DataDescription data in new[] { DataDescription.Images([3, 32, 32]), DataDescription.Points() })
        {
            var e = Assert.Throws<InvalidInputException>(() => recipe.ConfigureOptions(data, new Dictionary<string, string>()));
            Assert.StartsWith("pix2pix translates paired images: give --data DIR --target DIR2", e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
        var tiny = DataDescription.Images([3, 8, 8]) with { TargetShape = [3, 8, 8] };
        var side = Assert.Throws<InvalidInputException>(() => recipe.ConfigureOptions(tiny, new Dictionary<string, string>()));
        Assert.Contains("side from 9 to 256", side.Message);
        var unpaired = DataDescription.Images([3, 32, 32]) with { TargetShape = [3, 32, 32], TargetsPaired = false };
        var domains = Assert.Throws<InvalidInputException>(() => recipe.ConfigureOptions(unpaired, new Dictionary<string, string>()));
        Assert.Contains("learns from pairs", domains.Message);
        string fashion = recipe.ConfigureOptions(DataDescription.Images([1, 28, 28]) with { TargetShape = [1, 28, 28] }, new Dictionary<string, string>());
        Assert.Contains("\"DiscriminatorLayers\":2", fashion);                                        // side 28 is taken, padded to 32 in the U-Net
    }

    [Fact]
    public void Settings_are_validated_and_round_trip_through_json()
    {
        IModelRecipe recipe = ModelCatalog.Get("VAE");
        string json = recipe.ConfigureOptions(DataDescription.FromShape([1, 28, 28]), new Dictionary<string, string> { ["latent"] = "7", ["network"] = "conv" });
        Assert.Contains("\"Latent\":7", json);
        Assert.Contains("\"Network\":\"Conv\"", json);
        var e = Assert.Throws<InvalidInputException>(() => recipe.ConfigureOptions(DataDescription.FromShape([2]), new Dictionary<string, string> { ["network"] = "conv" }));
        Assert.Contains("network=conv", e.Message);
        Assert.Throws<InvalidInputException>(() => recipe.ConfigureOptions(DataDescription.FromShape([2]), new Dictionary<string, string> { ["beta"] = "0" }));
        Assert.Throws<InvalidInputException>(() => ModelCatalog.Get("pixelsnail"));
    }
}
