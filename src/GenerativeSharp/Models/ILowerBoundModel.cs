using static TorchSharp.torch;

namespace GenerativeSharp.Models;

/// <summary>
/// Latent-variable models whose likelihood is only bounded: the evidence lower bound, and the
/// importance-weighted estimate of log p(x) (Burda et al. 2016), which tightens as k grows.
/// </summary>
public interface ILowerBoundModel : IGenerativeModel
{
    /// <summary>
    /// Whether the bounds are on 8-bit data through uniform dequantization (they then bound log P(k),
    /// the D ln 256 already taken off); false for binary or continuous data.
    /// </summary>
    bool Dequantizes => false;

    /// <summary>The ELBO per example in nats, [batch].</summary>
    Tensor Elbo(Tensor x, Generator? generator = null);

    /// <summary>log (1/k) sum_i p(x, z_i) / q(z_i | x) with z_i ~ q(z | x), per example in nats, [batch].</summary>
    Tensor ImportanceSampledLogLikelihood(Tensor x, int samples, Generator? generator = null);
}
