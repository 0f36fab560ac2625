using static TorchSharp.torch;

namespace GenerativeSharp.Models.Autoregressive.Pixels;

/// <summary>The distribution of one pixel given the network's per-pixel parameters.</summary>
public enum PixelLikelihoodKind
{
    /// <summary>Binary pixels: one logit each (grey-scale only).</summary>
    Bernoulli,

    /// <summary>8-bit pixels: a 256-way softmax per channel (van den Oord et al. 2016a).</summary>
    Softmax256,

    /// <summary>8-bit pixels: a discretized mixture of logistics (Salimans et al. 2017, PixelCNN++).</summary>
    LogisticMixture,
}

/// <summary>
/// How a pixel-autoregressive network's output head turns into probabilities of pixel values.
/// Pixel values are always given and returned in [0, 1] (binary 0/1 or k/255), with
/// <see cref="Channels"/> channels: 1 (grey-scale) or 3 (RGB, drawn in the order R, G, B).
/// </summary>
public interface IPixelLikelihood
{
    /// <summary>The parameters the network emits per pixel (the output channels of its head).</summary>
    int ParametersPerPixel { get; }

    /// <summary>Channels of a pixel: 1 (grey-scale) or 3 (RGB).</summary>
    int Channels => 1;

    /// <summary>
    /// Channels of one pixel that one network pass determines: all of them when the parameters see
    /// no colour of the pixel itself (grey-scale, the colour logistic mixture), one when the
    /// parameters of channel c see channels &lt; c of the pixel (the colour softmax).
    /// </summary>
    int ChannelsPerPass => Channels;

    /// <summary>
    /// Colour groups the network must keep apart (<see cref="ChannelGroups"/>): 3 when the
    /// parameters of channel c may see channels &lt; c of the current pixel, 1 when they may see
    /// no colour of it.
    /// </summary>
    int ColourGroups => 1;

    /// <summary>log P(x) per pixel, summed over its channels: parameters [B, P, H, W], x [B, C, H, W] -> [B, 1, H, W].</summary>
    Tensor LogProb(Tensor parameters, Tensor x);

    /// <summary>
    /// Draws channels [first, first + <see cref="ChannelsPerPass"/>) of one pixel per example from
    /// the parameters at that pixel [B, P], given the pixel's current values [B, C] (channels
    /// before <paramref name="first"/> are known or already drawn) and, when completing, which of
    /// its channels are missing [B, C] (null: all are drawn) -> values [B, ChannelsPerPass] in [0, 1].
    /// </summary>
    Tensor DrawChannels(Tensor parameters, Tensor pixel, Tensor? missing, int first, Generator? generator);

    /// <summary>Builds the head for <paramref name="kind"/> (<paramref name="mixtures"/> only for the logistic mixture) and 1 or 3 channels.</summary>
    static IPixelLikelihood Create(PixelLikelihoodKind kind, int mixtures, long channels = 1) => (kind, channels) switch
    {
        (_, not (1 or 3)) => throw new InvalidInputException($"pixels have 1 (grey-scale) or 3 (RGB) channels, not {channels}."),
        (PixelLikelihoodKind.Bernoulli, 1) => new BernoulliPixels(),
        (PixelLikelihoodKind.Bernoulli, _) => throw new InvalidInputException(BinaryIsGreyScale),
        (PixelLikelihoodKind.Softmax256, 1) => new CategoricalPixels(),
        (PixelLikelihoodKind.Softmax256, _) => new ColourCategoricalPixels(),
        (PixelLikelihoodKind.LogisticMixture, 1) => new LogisticMixturePixels(mixtures),
        (PixelLikelihoodKind.LogisticMixture, _) => new ColourLogisticMixturePixels(mixtures),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The refusal of Bernoulli pixels for colour images.</summary>
    const string BinaryIsGreyScale = "binary pixels are grey-scale; colour images need likelihood softmax256 or logisticmixture.";
}
