namespace GenerativeSharp.Models.Boltzmann;

/// <summary>The visible units of an <see cref="Rbm"/>.</summary>
public enum RbmVisible
{
    /// <summary>Binary units: binarized images.</summary>
    Bernoulli,

    /// <summary>Real-valued units with unit variance (Gaussian-Bernoulli RBM): standardised continuous data.</summary>
    Gaussian,
}

/// <summary>Options of an <see cref="Rbm"/> and of its contrastive-divergence training.</summary>
public sealed record RbmOptions
{
    /// <summary>Shape of one example, e.g. [1, 28, 28]; the RBM sees it flattened.</summary>
    public long[] EventShape { get; init; } = [1, 28, 28];

    public int Hidden { get; init; } = 500;

    public RbmVisible Visible { get; init; } = RbmVisible.Bernoulli;

    /// <summary>Gibbs steps of the negative phase (CD-k, Hinton 2002).</summary>
    public int GibbsSteps { get; init; } = 1;

    /// <summary>Persistent chains (PCD, Tieleman 2008) instead of chains restarted at the data.</summary>
    public bool Persistent { get; init; }

    /// <summary>Momentum of the SGD update.</summary>
    public double Momentum { get; init; } = 0.5;

    /// <summary>L2 weight decay on the weights (not the biases), as in Hinton's practical guide (2010).</summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>Gibbs steps from noise before <see cref="Rbm.Sample"/> returns.</summary>
    public int SampleBurnIn { get; init; } = 1000;

    public void Validate()
    {
        if (EventShape.Length == 0 || EventShape.Any(d => d <= 0))
            throw new InvalidInputException($"RBM event shape must be positive, got [{string.Join(", ", EventShape)}].");
        if (Hidden < 1) throw new InvalidInputException($"hidden must be at least 1, got {Hidden}.");
        if (GibbsSteps < 1) throw new InvalidInputException($"k must be at least 1, got {GibbsSteps}.");
        if (!(Momentum >= 0 && Momentum < 1)) throw new InvalidInputException($"momentum must be in [0, 1), got {Momentum}.");
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay)) throw new InvalidInputException($"weight_decay must be >= 0, got {WeightDecay}.");
        if (SampleBurnIn < 0) throw new InvalidInputException($"burnin must be >= 0, got {SampleBurnIn}.");
    }
}
