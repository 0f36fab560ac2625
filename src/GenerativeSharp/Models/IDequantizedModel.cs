using static TorchSharp.torch;

namespace GenerativeSharp.Models;

/// <summary>
/// A continuous density that models 8-bit data through uniform dequantization (Theis, van den Oord
/// and Bethge 2016, "A note on the evaluation of generative models", arXiv:1511.01844): with
/// y = (k + u) / 256, u ~ U[0, 1)^D, log P(k) &gt;= E_u[log p(y)] - D ln 256. One draw of u per example
/// gives an unbiased estimate of that bound, so the likelihood it reports is a bound, not exact.
/// </summary>
public interface IDequantizedModel : IGenerativeModel
{
    /// <summary>Whether this instance dequantizes its data (8-bit images); on continuous data its density is exact.</summary>
    bool Dequantizes { get; }

    /// <summary>log p(y) - D ln 256 per example in nats, [batch], with the noise u drawn from <paramref name="generator"/>.</summary>
    Tensor DequantizedLogLikelihood(Tensor x, Generator? generator);
}
