using static TorchSharp.torch;

namespace GenerativeSharp.Models;

/// <summary>
/// Models whose likelihood is bounded by a sum of many terms, one per step of a chain, that can be estimated without
/// bias from a random subset of the terms: a diffusion model's L_T + sum_t L_{t-1} + L_0 (Sohl-Dickstein et al. 2015,
/// arXiv:1503.03585; Ho et al. 2020, arXiv:2006.11239, eq. 5). It has no encoder to importance-sample with, so it is
/// not an <see cref="ILowerBoundModel"/>.
/// </summary>
public interface IVariationalBoundModel : IGenerativeModel
{
    /// <summary>How many step terms the bound has (T).</summary>
    int BoundTerms { get; }

    /// <summary>How many step terms an evaluation samples per example when not told (<see cref="BoundTerms"/>: all).</summary>
    int DefaultBoundTimesteps { get; }

    /// <summary>
    /// -bound per example in nats, [B] (an upper bound on -log p(x); on 8-bit data on -log P(k)): with
    /// <paramref name="timesteps"/> &gt;= <see cref="BoundTerms"/> every term, otherwise an unbiased estimate from that many
    /// steps drawn per example (stratified: one uniformly in each of that many runs of consecutive steps).
    /// </summary>
    Tensor NegativeBound(Tensor x, int timesteps, Generator? generator = null);

    /// <summary>What the bound is, in one phrase for the report's bound_note, when the step wording does not fit (VQ-VAE); null for the default.</summary>
    string? BoundDescription => null;
}
