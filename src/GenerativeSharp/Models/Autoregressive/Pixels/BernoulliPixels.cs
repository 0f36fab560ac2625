using GenerativeSharp.Distributions;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Autoregressive.Pixels;

/// <summary>Binary pixels: the network emits one log-odds per pixel.</summary>
public sealed class BernoulliPixels : IPixelLikelihood
{
    public int ParametersPerPixel => 1;

    public Tensor LogProb(Tensor parameters, Tensor x) =>
        -nn.functional.binary_cross_entropy_with_logits(parameters, x, reduction: nn.Reduction.None);

    /// <summary>Draws one grey-scale pixel per example: parameters at that pixel [B, P] -> values [B] in [0, 1].</summary>
    public Tensor Draw(Tensor parameters, Generator? generator)
    {
        using var probability = parameters.select(1, 0).sigmoid();   // [B]
        return Bernoulli.Draw(probability, generator);
    }

    /// <summary>The grey-scale pixel from one pass: [B, P] -> [B, 1].</summary>
    public Tensor DrawChannels(Tensor parameters, Tensor pixel, Tensor? missing, int first, Generator? generator)
    {
        using var drawn = Draw(parameters, generator);
        return drawn.unsqueeze(1);
    }
}
