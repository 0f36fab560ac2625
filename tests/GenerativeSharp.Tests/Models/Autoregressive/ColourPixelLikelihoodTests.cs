using GenerativeSharp.Models.Autoregressive;
using GenerativeSharp.Models.Autoregressive.Pixels;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Models.Autoregressive;

/// <summary>
/// The colour pixel likelihoods put mass one on the 256^3 colours of a pixel, agree with their own
/// samplers, and (for the 256-way softmax) chain the network's R, G, B logits as
/// p(r) p(g | r) p(b | r, g). Sums run in float64 over all 256^3 colours.
/// </summary>
public sealed class ColourPixelLikelihoodTests
{
    private static Tensor Levels() => arange(256, dtype: ScalarType.Float64).div(255);   // [256]

    [Theory]
    [InlineData("pixelcnn")]
    [InlineData("gated-pixelcnn")]
    public void The_softmax_chain_of_an_untrained_model_sums_to_one_over_all_colours_of_a_pixel(string name)
    {
        // The last pixel (1, 1) of a [3, 2, 2] image, the first three pixels fixed:
        // sum_r p(r) sum_g p(g | r) sum_b p(b | r, g), each factor the network's softmax in its own context.
        using var model = ColourPixelCnnTests.Build(name, "softmax256", [3, 2, 2], seed: 6);
        model.Module.to(ScalarType.Float64);
        var pixel = (PixelAutoregressiveModel)model.Module;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var generator = new Generator(12);
        Tensor prefix = rand([1, 3, 2, 2], dtype: ScalarType.Float64, generator: generator).mul(255).round().div(255);
        Tensor levels = Levels();
        Tensor? logRed = null;
        double total = 0, worstChain = 0, worstCausal = 0;
        for (int r = 0; r < 256; r++)
        {
            using var inner = NewDisposeScope();
            Tensor images = prefix.expand(256, -1, -1, -1).clone();                // [256 (g), 3, 2, 2]
            images.select(3, 1).select(2, 1).select(1, 0).fill_(r / 255.0);
            images.select(3, 1).select(2, 1).select(1, 1).copy_(levels);
            images.select(3, 1).select(2, 1).select(1, 2).copy_(levels.flip(0));  // b = 255 - g: the B logits must not care
            Tensor parameters = pixel.PixelParameters(images);                     // [256, 768, 2, 2]
            Tensor logits = parameters.select(3, 1).select(2, 1).view(256, 3, 256).log_softmax(2);   // [g, channel, level]
            logRed ??= logits.select(1, 0).select(0, 0).clone().MoveToOuterDisposeScope();
            Tensor logGreen = logits.select(1, 1).select(0, 0);                    // p(g | r) [256]
            Tensor logBlue = logits.select(1, 2);                                  // p(b | r, g) [g, b]
            worstCausal = Math.Max(worstCausal, logits.select(1, 0).sub(logRed).abs().max().item<double>());          // R logits: no r, g or b
            worstCausal = Math.Max(worstCausal, logits.select(1, 1).sub(logGreen).abs().max().item<double>());        // G logits: no g or b
            total += Math.Exp(logRed[r].item<double>()) * logGreen.exp().mul(logBlue.exp().sum(1)).sum().item<double>();
            // The model's log p of the pixel is the chain of the three factors.
            Tensor logProb = pixel.Likelihood.LogProb(parameters, images).select(3, 1).select(2, 1).squeeze(1);       // [256]
            Tensor chain = logRed[r] + logGreen + logBlue.gather(1, arange(255, -1, -1).view(256, 1)).squeeze(1);
            worstChain = Math.Max(worstChain, logProb.sub(chain).abs().max().item<double>());
        }
        Assert.True(worstCausal < 1e-9, $"R or G logits of the pixel changed with its own later channels by {worstCausal}");
        Assert.True(worstChain < 1e-9, $"log p(r, g, b) differs from log p(r) + log p(g | r) + log p(b | r, g) by {worstChain}");
        Assert.True(Math.Abs(total - 1) < 1e-3, $"sum over 256^3 colours of p(r, g, b) is {total}");
    }

    /// <summary>Exact moments of the logistic mixture over all 256^3 colours (float64).</summary>
    private sealed record Moments(double Total, double[] Mean, double GreenGivenRed0, double GreenGivenRed1, double BlueGivenGreen);

    private const int Red0 = 40, Red1 = 220, Green0 = 200;

    private static Moments Enumerate(ColourLogisticMixturePixels likelihood, Tensor theta)
    {
        using var scope = NewDisposeScope();
        Tensor levels = Levels();
        Tensor green = levels.view(256, 1).expand(256, 256).flatten(), blue = levels.view(1, 256).expand(256, 256).flatten();   // [65536]
        Tensor parameters = theta.view(1, -1, 1, 1).expand(65536, -1, 1, 1);
        double total = 0, meanR = 0, meanG = 0, meanB = 0, greenGivenRed0 = 0, greenGivenRed1 = 0, blueGivenGreen = 0;
        for (int r = 0; r < 256; r++)
        {
            using var inner = NewDisposeScope();
            Tensor x = stack([full(65536, r / 255.0, ScalarType.Float64), green, blue], 1).view(65536, 3, 1, 1);
            Tensor p = likelihood.LogProb(parameters, x).flatten().exp();          // p(r, g, b) over (g, b)
            double pRed = p.sum().item<double>(), pGreen = p.mul(green).sum().item<double>();
            total += pRed;
            meanR += r / 255.0 * pRed;
            meanG += pGreen;
            meanB += p.mul(blue).sum().item<double>();
            if (r == Red0) greenGivenRed0 = pGreen / pRed;
            if (r == Red1) greenGivenRed1 = pGreen / pRed;
            Tensor atGreen = p.view(256, 256)[Green0];                               // p(r, g0, b) over b
            blueGivenGreen += pRed * atGreen.mul(levels).sum().item<double>() / atGreen.sum().item<double>();   // sum_r p(r) E[b | r, g0]
        }
        return new Moments(total, [meanR, meanG, meanB], greenGivenRed0, greenGivenRed1, blueGivenGreen);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_colour_logistic_mixture_sums_to_one_over_all_colours_and_its_sampler_agrees(bool fromModel)
    {
        var likelihood = new ColourLogisticMixturePixels(2);
        using var scope = NewDisposeScope();
        using var generator = new Generator(21);
        Tensor theta;                                                              // [20]
        if (fromModel)
        {
            // the parameters a small untrained PixelCNN gives the last pixel of a [3, 2, 2] image
            using var model = ColourPixelCnnTests.Build("pixelcnn", "logisticmixture", [3, 2, 2], seed: 7);
            model.Module.to(ScalarType.Float64);
            using var noGrad = no_grad();
            Tensor image = rand([1, 3, 2, 2], dtype: ScalarType.Float64, generator: generator).mul(255).round().div(255);
            theta = ((PixelAutoregressiveModel)model.Module).PixelParameters(image).select(3, 1).select(2, 1).select(0, 0).clone();
        }
        else
        {
            theta = randn([20], dtype: ScalarType.Float64, generator: generator);
            theta.narrow(0, 2, 6).mul_(0.3);                                       // means near the middle
            theta.narrow(0, 8, 6).mul_(0.3).sub_(2);                               // scales about e^-2
            theta.narrow(0, 14, 6).fill_(1.5);                                     // strong coefficients: tanh 1.5 = 0.9
        }
        Moments exact = Enumerate(likelihood, theta);
        Assert.True(Math.Abs(exact.Total - 1) < 1e-3, $"sum over 256^3 colours of p(r, g, b) is {exact.Total}");

        const int draws = 20000;
        const double tolerance = 0.02;                                             // > 5 standard errors of a mean of 20000 values in [0, 1]
        Tensor parameters = theta.view(1, -1).expand(draws, -1);
        Tensor sampled = likelihood.DrawChannels(parameters, zeros(draws, 3, dtype: ScalarType.Float64), null, 0, generator).mean([0]);
        for (int c = 0; c < 3; c++)
            Assert.True(Math.Abs(sampled[c].item<double>() - exact.Mean[c]) < tolerance, $"channel {c}: sample mean {sampled[c].item<double>()}, exact {exact.Mean[c]}");

        // Completion: R known, G and B drawn (the component from its posterior given R).
        foreach (var (red, expected) in new[] { (Red0, exact.GreenGivenRed0), (Red1, exact.GreenGivenRed1) })
        {
            Tensor pixel = zeros(draws, 3, dtype: ScalarType.Float64);
            pixel.select(1, 0).fill_(red / 255.0);
            Tensor missing = tensor(new[] { false, true, true }).expand(draws, 3);
            Tensor completed = likelihood.DrawChannels(parameters, pixel, missing, 0, generator);
            Assert.True(completed.select(1, 0).eq(red / 255.0).all().item<bool>(), "a known channel is kept");
            double green = completed.select(1, 1).mean().item<double>();
            Assert.True(Math.Abs(green - expected) < tolerance, $"E[g | r = {red}]: sampled {green}, exact {expected}");
        }
        if (!fromModel)
            Assert.True(exact.GreenGivenRed1 - exact.GreenGivenRed0 > 0.2, $"G should follow R through alpha: {exact.GreenGivenRed0} -> {exact.GreenGivenRed1}");

        // G known, R and B drawn: R from p(r), then B given R and the known G.
        Tensor known = zeros(draws, 3, dtype: ScalarType.Float64);
        known.select(1, 1).fill_(Green0 / 255.0);
        Tensor blueMissing = tensor(new[] { true, false, true }).expand(draws, 3);
        double blue = likelihood.DrawChannels(parameters, known, blueMissing, 0, generator).select(1, 2).mean().item<double>();
        Assert.True(Math.Abs(blue - exact.BlueGivenGreen) < tolerance, $"E[b | g = {Green0}]: sampled {blue}, exact {exact.BlueGivenGreen}");
    }
}
