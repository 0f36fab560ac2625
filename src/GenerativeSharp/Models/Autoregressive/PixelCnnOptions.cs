using GenerativeSharp.Models.Autoregressive.Pixels;

namespace GenerativeSharp.Models.Autoregressive;

/// <summary>Options of a <see cref="PixelCnn"/>: the paper's MNIST model, narrowed for CPUs.</summary>
public sealed record PixelCnnOptions
{
    /// <summary>
    /// Shape of one image: grayscale [1, H, W] or colour [3, H, W] (colour needs likelihood
    /// softmax256, with channels divisible by 3, or logisticmixture).
    /// </summary>
    public long[] EventShape { get; init; } = [1, 28, 28];

    /// <summary>h: residual blocks carry 2h channels and their masked 3x3 convolution h.</summary>
    public int Channels { get; init; } = 32;

    /// <summary>Residual blocks after the 7x7 type-A convolution.</summary>
    public int Blocks { get; init; } = 7;

    /// <summary>The pixel distribution: binary (Bernoulli) or 8-bit (256-way softmax, logistic mixture).</summary>
    public PixelLikelihoodKind Likelihood { get; init; } = PixelLikelihoodKind.Bernoulli;

    /// <summary>Logistics in the mixture (only for <see cref="PixelLikelihoodKind.LogisticMixture"/>).</summary>
    public int Mixtures { get; init; } = 5;

    /// <summary>Throws <see cref="InvalidInputException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        PixelModelOptions.ValidateShape("PixelCNN", EventShape);
        if (Channels < 1) throw new InvalidInputException($"channels must be at least 1, got {Channels}.");
        if (Blocks < 0) throw new InvalidInputException($"blocks must be at least 0, got {Blocks}.");
        PixelModelOptions.ValidateMixtures(Likelihood, Mixtures);
        PixelModelOptions.ValidateColour(EventShape, Likelihood, Channels);
    }
}
