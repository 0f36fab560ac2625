using static TorchSharp.torch;

namespace GenerativeSharp.Models;

/// <summary>Models with an exact, normalised density (flows, autoregressive models).</summary>
public interface IDensityModel : IGenerativeModel
{
    /// <summary>Exact log p(x) per example in nats, [batch].</summary>
    Tensor LogProb(Tensor x);
}
