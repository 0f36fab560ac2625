using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Autoregressive;
using GenerativeSharp.Models.Autoregressive.Pixels;
using GenerativeSharp.Recipes;
using GenerativeSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Models.Autoregressive;

/// <summary>
/// PixelCNN and Gated PixelCNN on RGB images [3, H, W]: causality over pixels and, within a pixel,
/// over R, G, B (checked by autograd), seeded sampling, completion, option checks and training.
/// </summary>
public sealed class ColourPixelCnnTests
{
    internal static ModelInstance Build(string name, string likelihood, long[] shape, long seed = 0, string channels = "6")
    {
        IModelRecipe recipe = ModelCatalog.Get(name);
        var settings = new Dictionary<string, string> { ["channels"] = channels, ["likelihood"] = likelihood };
        if (likelihood == "logisticmixture") settings["mixtures"] = "2";
        if (name == "pixelcnn") settings["blocks"] = "2";
        else settings["layers"] = "3";
        return ModelInstance.Create(recipe, recipe.ConfigureOptions(DataDescription.FromShape(shape), settings), seed, CPU);
    }

    /// <summary>
    /// Gradients of each parameter group at each pixel with respect to the input: one input copy per
    /// (pixel p, group g), all in one backward pass, each copy's objective a random positive
    /// projection of group g's parameters at p. Returns grad [p, g, q, c] (pixels in raster order).
    /// </summary>
    private static float[,,,] Dependence(PixelAutoregressiveModel model, long[] shape, int groups)
    {
        long colours = shape[0], height = shape[1], width = shape[2], pixels = height * width, n = pixels * groups;
        long perPixel = model.Likelihood.ParametersPerPixel, perGroup = perPixel / groups;
        using var scope = NewDisposeScope();
        using var generator = new Generator(17);
        Tensor x = rand([1, .. shape], generator: generator).expand(n, -1, -1, -1).clone().requires_grad_(true);   // [N, C, H, W]
        Tensor projection = rand([n, perPixel], generator: generator).add(0.5);                                        // [N, P]
        var select = new float[n * perPixel];
        for (long p = 0; p < pixels; p++)
            for (long g = 0; g < groups; g++)
                for (long k = g * perGroup; k < (g + 1) * perGroup; k++) select[(p * groups + g) * perPixel + k] = 1;
        Tensor weights = projection * tensor(select, [n, perPixel]);
        Tensor parameters = model.PixelParameters(x);                                                                  // [N, P, H, W]
        Tensor which = tensor(Enumerable.Range(0, (int)n).Select(k => (long)(k / groups)).ToArray(), [n, 1, 1]);         // copy k looks at pixel k / groups
        Tensor atPixel = parameters.flatten(2).gather(2, which.expand(n, perPixel, 1)).squeeze(2);                    // [N, P]
        (atPixel * weights).sum().backward();
        float[] grad = x.grad!.flatten().data<float>().ToArray();                                                       // [N, C, H, W]
        var result = new float[pixels, groups, pixels, colours];
        for (long p = 0; p < pixels; p++)
            for (long g = 0; g < groups; g++)
                for (long c = 0; c < colours; c++)
                    for (long q = 0; q < pixels; q++)
                        result[p, g, q, c] = grad[((p * groups + g) * colours + c) * pixels + q];
        return result;
    }

    [Theory]
    [InlineData("pixelcnn", "softmax256")]
    [InlineData("gated-pixelcnn", "softmax256")]
    [InlineData("pixelcnn", "logisticmixture")]
    [InlineData("gated-pixelcnn", "logisticmixture")]
    public void Colour_parameters_depend_only_on_earlier_pixels_and_earlier_channels_of_the_pixel(string name, string likelihood)
    {
        long[] shape = [3, 6, 6];
        using var model = Build(name, likelihood, shape, seed: 4, channels: "12");
        var pixel = (PixelAutoregressiveModel)model.Module;
        bool softmax = likelihood == "softmax256";
        int groups = softmax ? 3 : 1;                    // softmax: R, G, B logits apart; logistic mixture: all 20 parameters together
        float[,,,] d = Dependence(pixel, shape, groups);
        int pixels = 36, earlier = 0;
        var withinPixel = new int[3];
        for (int p = 0; p < pixels; p++)
            for (int g = 0; g < groups; g++)
                for (int q = 0; q < pixels; q++)
                    for (int c = 0; c < 3; c++)
                    {
                        // softmax: group g = channel g may see channels < g of pixel p; logistic mixture: no channel of p
                        bool allowed = q < p || (q == p && softmax && c < g);
                        if (!allowed)
                            Assert.True(d[p, g, q, c] == 0, $"parameters of group {g} at pixel {p} depend on channel {c} of pixel {q} ({d[p, g, q, c]})");
                        else if (q < p && d[p, g, q, c] != 0) earlier++;
                        else if (q == p && d[p, g, q, c] != 0) withinPixel[g]++;
                        // Gated PixelCNN has no blind spot: every earlier pixel reaches every group
                        if (name == "gated-pixelcnn" && q < p) Assert.True(d[p, g, q, c] != 0, $"group {g} at pixel {p} does not see channel {c} of pixel {q}");
                    }
        Assert.True(earlier > 0, "parameters should depend on earlier pixels");
        if (softmax)
            Assert.True(withinPixel[1] > 0 && withinPixel[2] > 0, $"G and B logits should see the pixel's R (and G): {withinPixel[1]}, {withinPixel[2]}");
    }

    [Fact]
    public void With_the_network_output_fixed_a_logistic_mixture_pixel_depends_on_its_own_three_channels_only()
    {
        // The network's output at pixel ij sees no colour of ij (above); the likelihood then reads all
        // three channels of ij (R through its own factor and the coefficients of G and B) and no other pixel.
        using var model = Build("pixelcnn", "logisticmixture", [3, 3, 3], seed: 5);
        var pixel = (PixelAutoregressiveModel)model.Module;
        using var scope = NewDisposeScope();
        using var generator = new Generator(3);
        Tensor x = rand([1, 3, 3, 3], generator: generator).mul(255).round().div(255);
        Tensor parameters;
        using (no_grad()) parameters = pixel.PixelParameters(x);
        using (no_grad()) parameters.narrow(1, 14, 6).fill_(1.5);                       // coefficients tanh(1.5) ~ 0.9: strong dependence
        Tensor xg = x.clone().requires_grad_(true);
        pixel.Likelihood.LogProb(parameters, xg)[0, 0, 1, 1].backward();
        float[] grad = xg.grad!.flatten().data<float>().ToArray();                       // [3, 3, 3]
        for (int c = 0; c < 3; c++)
            for (int q = 0; q < 9; q++)
                if (q == 4) Assert.True(grad[c * 9 + q] != 0, $"log p of a pixel should depend on its channel {c}");
                else Assert.True(grad[c * 9 + q] == 0, $"log p of pixel 4 depends on pixel {q} through the likelihood");
    }

    [Theory]
    [InlineData("pixelcnn", "softmax256")]
    [InlineData("pixelcnn", "logisticmixture")]
    [InlineData("gated-pixelcnn", "softmax256")]
    [InlineData("gated-pixelcnn", "logisticmixture")]
    public void Colour_samples_hold_8_bit_values_and_repeat_from_the_seed(string name, string likelihood)
    {
        using var model = Build(name, likelihood, [3, 4, 5]);
        using var g1 = new Generator(4);
        using var g2 = new Generator(4);
        using var g3 = new Generator(5);
        using var first = model.Model.Sample(3, g1);
        using var second = model.Model.Sample(3, g2);
        using var other = model.Model.Sample(3, g3);
        Assert.Equal(new long[] { 3, 3, 4, 5 }, first.shape);
        Assert.True(first.equal(second).all().item<bool>(), "the same seed gives the same samples");
        Assert.False(first.equal(other).all().item<bool>(), "another seed gives other samples");
        using var levels = first.mul(255);
        Assert.True(levels.sub(levels.round()).abs().max().item<float>() < 1e-3, "pixels must be k/255");
        Assert.True(first.min().item<float>() >= 0 && first.max().item<float>() <= 1);
        using var noGrad = no_grad();
        Assert.True(float.IsFinite(((IDensityModel)model.Module).LogProb(first).sum().item<float>()));
    }

    [Theory]
    [InlineData("pixelcnn", "softmax256", true)]
    [InlineData("pixelcnn", "logisticmixture", true)]
    [InlineData("gated-pixelcnn", "softmax256", false)]
    [InlineData("gated-pixelcnn", "logisticmixture", false)]
    public void Colour_completion_keeps_known_pixels_and_channels(string name, string likelihood, bool perPixelMask)
    {
        using var model = Build(name, likelihood, [3, 4, 4]);
        var completion = (ICompletionModel)model.Module;
        using var generator = new Generator(3);
        using var images = rand([2, 3, 4, 4], generator: generator).mul(255).round().div(255);
        using var known = perPixelMask ? ones(2, 1, 4, 4) : ones(2, 3, 4, 4);
        known.narrow(2, 2, 2).zero_();                                            // lower half missing
        if (!perPixelMask) known.narrow(2, 2, 2).narrow(1, 0, 1).fill_(1);        // but its red channel known
        using var full = known.expand(2, 3, 4, 4).eq(1);
        using var g1 = new Generator(8);
        using var g2 = new Generator(8);
        using var filled = completion.Complete(images, known, g1);
        using var again = completion.Complete(images, known, g2);
        Assert.Equal(images.shape, filled.shape);
        Assert.True(filled.masked_select(full).equal(images.masked_select(full)).all().item<bool>(), "known values are kept");
        Assert.False(filled.equal(images).all().item<bool>(), "missing values are drawn");
        Assert.True(again.equal(filled).all().item<bool>(), "the same seed gives the same completion");
        using var levels = filled.mul(255);
        Assert.True(levels.sub(levels.round()).abs().max().item<float>() < 1e-3, "pixels must be k/255");
    }

    [Fact]
    public void Colour_options_are_checked()
    {
        var binary = Assert.Throws<InvalidInputException>(() => Build("pixelcnn", "bernoulli", [3, 4, 4]));
        Assert.Equal("binary pixels are grey-scale; colour images need likelihood softmax256 or logisticmixture.", binary.Message);
        Assert.Throws<InvalidInputException>(() => Build("gated-pixelcnn", "bernoulli", [3, 4, 4]));
        var width = Assert.Throws<InvalidInputException>(() => Build("pixelcnn", "softmax256", [3, 4, 4], channels: "4"));
        Assert.Contains("divisible by 3", width.Message);
        Assert.Throws<InvalidInputException>(() => Build("gated-pixelcnn", "softmax256", [3, 4, 4], channels: "8"));
        Assert.Throws<InvalidInputException>(() => Build("pixelcnn", "softmax256", [2, 4, 4]));
        using var logistic = Build("gated-pixelcnn", "logisticmixture", [3, 4, 4], channels: "4");   // no colour groups: any width
        Assert.Equal(20, ((PixelAutoregressiveModel)logistic.Module).Likelihood.ParametersPerPixel);
        using var softmax = Build("pixelcnn", "softmax256", [3, 4, 4]);
        Assert.Equal(768, ((PixelAutoregressiveModel)softmax.Module).Likelihood.ParametersPerPixel);
        using var images = zeros(2, 3, 4, 4);
        using var badMask = ones(2, 2, 4, 4);
        Assert.Throws<ArgumentException>(() => ((ICompletionModel)softmax.Module).Complete(images, badMask));
    }

    [Theory]
    [InlineData("pixelcnn", "softmax256")]
    [InlineData("pixelcnn", "logisticmixture")]
    [InlineData("gated-pixelcnn", "logisticmixture")]
    [InlineData("gated-pixelcnn", "softmax256")]
    public void Training_on_solid_colours_cuts_the_nll(string name, string likelihood)
    {
        using var model = Build(name, likelihood, [3, 4, 4], seed: 1, channels: "12");
        var density = (IDensityModel)model.Module;
        // 64 images, each one of 4 solid colours
        float[][] colours = [[230, 25, 75], [60, 180, 75], [0, 130, 200], [245, 130, 48]];
        var values = new float[64 * 48];
        for (int n = 0; n < 64; n++)
            for (int c = 0; c < 3; c++)
                for (int k = 0; k < 16; k++) values[n * 48 + c * 16 + k] = colours[n % 4][c] / 255;
        using var data = tensor(values, [64, 3, 4, 4]);
        double Nll() { using var _ = no_grad(); return -density.LogProb(data).mean().item<float>(); }
        double before = Nll();
        ITrainingStep step = model.Recipe.CreateStep(model.Module, 2e-2);
        using var generator = new Generator(2);
        for (int i = 0; i < 150; i++)
            using (NewDisposeScope()) step.Step(new Batch(data), generator);
        double after = Nll(), uniform = 48 * 8 * Math.Log(2);
        Assert.True(after < before / 2 && after < uniform, $"{name} {likelihood}: NLL {before} -> {after} nats (uniform: {uniform})");
    }
}
