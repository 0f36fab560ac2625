using GenerativeSharp.Models.Autoregressive.Pixels;

namespace GenerativeSharp.Models.Autoregressive;

/// <summary>Checks the options PixelCNN and Gated PixelCNN have in common.</summary>
internal static class PixelModelOptions
{
    /// <summary>Grey-scale [1, H, W] or RGB [3, H, W] images with H, W &gt;= 2.</summary>
    public static void ValidateShape(string model, long[] eventShape)
    {
        if (eventShape.Length != 3 || (eventShape[0] != 1 && eventShape[0] != 3) || eventShape[1] < 2 || eventShape[2] < 2)
            throw new InvalidInputException(
                $"{model} models grayscale images [1, H, W] or colour images [3, H, W] with H, W >= 2; got [{string.Join(", ", eventShape)}].");
    }

    public static void ValidateMixtures(PixelLikelihoodKind likelihood, int mixtures)
    {
        if (!Enum.IsDefined(likelihood)) throw new InvalidInputException($"unknown pixel likelihood {likelihood}.");
        if (mixtures < 1) throw new InvalidInputException($"mixtures must be at least 1, got {mixtures}.");
    }

    /// <summary>
    /// Colour images need an 8-bit likelihood, and the 256-way softmax splits every hidden layer
    /// into R, G and B groups (<see cref="ChannelGroups"/>), so its width must divide by 3. Widths are
    /// refused rather than rounded, so that the options say exactly what is built.
    /// </summary>
    public static void ValidateColour(long[] eventShape, PixelLikelihoodKind likelihood, int channels)
    {
        if (eventShape.Length == 0 || eventShape[0] != 3) return;
        if (likelihood == PixelLikelihoodKind.Bernoulli) throw new InvalidInputException(IPixelLikelihood.BinaryIsGreyScale);
        if (likelihood == PixelLikelihoodKind.Softmax256 && channels % 3 != 0)
            throw new InvalidInputException(
                $"colour images with likelihood softmax256 split the feature maps into R, G and B groups: channels must be divisible by 3, got {channels} (e.g. {channels + 3 - channels % 3}).");
    }
}
