using GenerativeSharp.Runtime;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Autoregressive.Pixels;

/// <summary>
/// 8-bit pixels as a 256-way categorical: the network emits 256 logits per pixel.
/// Reference: van den Oord, Kalchbrenner and Kavukcuoglu, "Pixel Recurrent Neural Networks", ICML 2016.
/// </summary>
public sealed class CategoricalPixels : IPixelLikelihood
{
    private const int Levels = 256;

    public int ParametersPerPixel => Levels;

    public Tensor LogProb(Tensor parameters, Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor level = (x * (Levels - 1)).round().clamp(0, Levels - 1).to(ScalarType.Int64);   // [B, 1, H, W]
        Tensor logProbabilities = parameters.log_softmax(1);                                    // [B, 256, H, W]
        return logProbabilities.gather(1, level).MoveToOuterDisposeScope();                     // [B, 1, H, W]
    }

    /// <summary>Draws one grey-scale pixel per example: parameters at that pixel [B, P] -> values [B] in [0, 1].</summary>
    public Tensor Draw(Tensor parameters, Generator? generator)
    {
        using var scope = NewDisposeScope();
        Tensor probabilities = parameters.softmax(1);                                           // [B, 256]
        Tensor level = SeededRandom.Categorical(probabilities, generator).squeeze(1);           // [B]
        return (level.to(parameters.dtype) / (Levels - 1)).MoveToOuterDisposeScope();
    }

    /// <summary>The grey-scale pixel from one pass: [B, P] -> [B, 1].</summary>
    public Tensor DrawChannels(Tensor parameters, Tensor pixel, Tensor? missing, int first, Generator? generator)
    {
        using var drawn = Draw(parameters, generator);
        return drawn.unsqueeze(1);
    }
}
