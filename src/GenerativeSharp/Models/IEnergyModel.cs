using static TorchSharp.torch;

namespace GenerativeSharp.Models;

/// <summary>Models known up to a normaliser: log p(x) = -FreeEnergy(x) - log Z (RBMs).</summary>
public interface IEnergyModel : IGenerativeModel
{
    /// <summary>Unnormalised negative log-probability per example, [batch].</summary>
    Tensor FreeEnergy(Tensor x);
}
