using static TorchSharp.torch;

namespace GenerativeSharp.Models;

/// <summary>
/// Conditional models with an exact density: log p(x | context). Their unconditional
/// <see cref="IDensityModel.LogProb"/> is the marginal under a uniform class prior.
/// </summary>
public interface IConditionalDensity : IDensityModel, IConditionalSampler
{
    /// <summary>Exact log p(x | context) per example in nats, [batch].</summary>
    Tensor LogProb(Tensor x, Tensor context);
}
