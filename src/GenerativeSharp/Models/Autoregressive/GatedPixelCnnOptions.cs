using GenerativeSharp.Models.Autoregressive.Pixels;

namespace GenerativeSharp.Models.Autoregressive;

/// <summary>Options of a <see cref="GatedPixelCnn"/>.</summary>
public sealed record GatedPixelCnnOptions
{
    /// <summary>
    /// Shape of one image: grayscale [1, H, W] or colour [3, H, W] (colour needs likelihood
    /// softmax256, with channels divisible by 3, or logisticmixture).
    /// </summary>
    public long[] EventShape { get; init; } = [1, 28, 28];

    /// <summary>Feature maps of each stack (the gates use twice as many before gating).</summary>
    public int Channels { get; init; } = 64;

    /// <summary>Gated layers: the first with a 7x7 receptive field, then 3x3 ones.</summary>
    public int Layers { get; init; } = 12;

    /// <summary>Classes to condition on (a learned bias per class in every gate); 0 = unconditional.</summary>
    public int Classes { get; init; }

    /// <summary>The pixel distribution: binary (Bernoulli) or 8-bit (256-way softmax, logistic mixture).</summary>
    public PixelLikelihoodKind Likelihood { get; init; } = PixelLikelihoodKind.Bernoulli;

    /// <summary>
    /// 0: the input is the pixel intensities. K &gt; 0: each grey level k (the value k / 255) is a category, not an intensity,
    /// and enters as a learned embedding of <see cref="Channels"/> numbers (K categories, e.g. a VQ-VAE's codes), so the
    /// network sees no order between categories. Needs grey-scale images and the 256-way softmax.
    /// </summary>
    public int CategoryEmbedding { get; init; }

    /// <summary>Logistics in the mixture (only for <see cref="PixelLikelihoodKind.LogisticMixture"/>).</summary>
    public int Mixtures { get; init; } = 5;

    /// <summary>Throws <see cref="InvalidInputException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        PixelModelOptions.ValidateShape("Gated PixelCNN", EventShape);
        if (Channels < 1) throw new InvalidInputException($"channels must be at least 1, got {Channels}.");
        if (Layers < 1) throw new InvalidInputException($"layers must be at least 1, got {Layers}.");
        if (Classes < 0) throw new InvalidInputException($"classes must be 0 (unconditional) or more, got {Classes}.");
        PixelModelOptions.ValidateMixtures(Likelihood, Mixtures);
        if (CategoryEmbedding < 0 || CategoryEmbedding > 256) throw new InvalidInputException($"the category embedding needs 0 to 256 categories, got {CategoryEmbedding}.");
        if (CategoryEmbedding > 0 && (EventShape[0] != 1 || Likelihood != PixelLikelihoodKind.Softmax256))
            throw new InvalidInputException("a category embedding needs grey-scale levels with the 256-way softmax.");
        PixelModelOptions.ValidateColour(EventShape, Likelihood, Channels);
    }
}
