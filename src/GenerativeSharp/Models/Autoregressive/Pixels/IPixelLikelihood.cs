using static TorchSharp.torch;

namespace GenerativeSharp.Models.Autoregressive.Pixels;

/// <summary>The distribution of one grayscale pixel given the network's per-pixel parameters.</summary>
public enum PixelLikelihoodKind
{
    /// <summary>Binary pixels: one logit each.</summary>
    Bernoulli,

    /// <summary>8-bit pixels: a 256-way softmax (van den Oord et al. 2016a).</summary>
    Softmax256,

    /// <summary>8-bit pixels: a discretized mixture of logistics (Salimans et al. 2017, PixelCNN++).</summary>
    LogisticMixture,
}

/// <summary>
/// How a pixel-autoregressive network's output head turns into probabilities of pixel values.
/// Pixel values are always given and returned in [0, 1] (binary 0/1 or k/255), one channel.
/// </summary>
public interface IPixelLikelihood
{
    /// <summary>The parameters the network emits per pixel (the output channels of its head).</summary>
    int ParametersPerPixel { get; }

    /// <summary>log P(x) per pixel: parameters [B, P, H, W], x [B, 1, H, W] -> [B, 1, H, W].</summary>
    Tensor LogProb(Tensor parameters, Tensor x);

    /// <summary>Draws one pixel per example: parameters at that pixel [B, P] -> values [B] in [0, 1].</summary>
    Tensor Draw(Tensor parameters, Generator? generator);

    /// <summary>Builds the head for <paramref name="kind"/> (<paramref name="mixtures"/> only for the logistic mixture).</summary>
    static IPixelLikelihood Create(PixelLikelihoodKind kind, int mixtures) => kind switch
    {
        PixelLikelihoodKind.Bernoulli => new BernoulliPixels(),
        PixelLikelihoodKind.Softmax256 => new CategoricalPixels(),
        PixelLikelihoodKind.LogisticMixture => new LogisticMixturePixels(mixtures),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
