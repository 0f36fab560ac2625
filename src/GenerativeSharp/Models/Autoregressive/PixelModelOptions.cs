using GenerativeSharp.Models.Autoregressive.Pixels;

namespace GenerativeSharp.Models.Autoregressive;

/// <summary>Checks the options PixelCNN and Gated PixelCNN have in common.</summary>
internal static class PixelModelOptions
{
    public static void ValidateShape(string model, long[] eventShape)
    {
        if (eventShape.Length != 3 || eventShape[0] != 1 || eventShape[1] < 2 || eventShape[2] < 2)
            throw new InvalidInputException(
                $"{model} models grayscale images [1, H, W] with H, W >= 2; got [{string.Join(", ", eventShape)}].");
    }

    public static void ValidateMixtures(PixelLikelihoodKind likelihood, int mixtures)
    {
        if (!Enum.IsDefined(likelihood)) throw new InvalidInputException($"unknown pixel likelihood {likelihood}.");
        if (mixtures < 1) throw new InvalidInputException($"mixtures must be at least 1, got {mixtures}.");
    }
}
