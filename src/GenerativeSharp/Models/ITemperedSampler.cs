using static TorchSharp.torch;

namespace GenerativeSharp.Models;

/// <summary>Models that can sample at a temperature T: the latent noise is scaled by T (T &lt; 1 trades diversity for quality).</summary>
public interface ITemperedSampler : IGenerativeModel
{
    /// <summary>Draws [count, ...EventShape] at temperature <paramref name="temperature"/> (1 = plain sampling).</summary>
    Tensor Sample(int count, double temperature, Generator? generator = null);
}
