namespace GenerativeSharp.Models;

/// <summary>The cells of Goodfellow's taxonomy of maximum-likelihood generative models (NIPS 2016 tutorial), plus diffusion.</summary>
public enum TaxonomyCell
{
    FullyVisibleBeliefNet,
    ChangeOfVariables,
    Variational,
    MarkovChainBoltzmann,
    DirectImplicit,
    MarkovChainImplicit,
    Diffusion,
}

/// <summary>What kind of likelihood number a model reports.</summary>
public enum LikelihoodKind
{
    Exact,
    Bound,
    Estimate,
    None,
}

/// <summary>How a model appears in the catalog.</summary>
public sealed record ModelInfo(string Name, TaxonomyCell Cell, string Family, LikelihoodKind Likelihood, string Summary)
{
    /// <summary>The taxonomy path, e.g. "explicit density / approximate / variational".</summary>
    public string CellPath => Cell switch
    {
        TaxonomyCell.FullyVisibleBeliefNet => "explicit density / tractable / fully visible belief nets",
        TaxonomyCell.ChangeOfVariables => "explicit density / tractable / change of variables",
        TaxonomyCell.Variational => "explicit density / approximate / variational",
        TaxonomyCell.MarkovChainBoltzmann => "explicit density / approximate / Markov chain",
        TaxonomyCell.DirectImplicit => "implicit density / direct",
        TaxonomyCell.MarkovChainImplicit => "implicit density / Markov chain",
        TaxonomyCell.Diffusion => "beyond the taxonomy / diffusion",
        _ => throw new ArgumentOutOfRangeException(nameof(Cell)),
    };

    /// <summary>The cell as a short machine name, e.g. "variational".</summary>
    public string CellName => Cell switch
    {
        TaxonomyCell.FullyVisibleBeliefNet => "fully-visible-belief-net",
        TaxonomyCell.ChangeOfVariables => "change-of-variables",
        TaxonomyCell.Variational => "variational",
        TaxonomyCell.MarkovChainBoltzmann => "markov-chain-explicit",
        TaxonomyCell.DirectImplicit => "direct-implicit",
        TaxonomyCell.MarkovChainImplicit => "markov-chain-implicit",
        TaxonomyCell.Diffusion => "diffusion",
        _ => throw new ArgumentOutOfRangeException(nameof(Cell)),
    };
}
