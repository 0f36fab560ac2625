namespace GenerativeSharp.Models.MarkovChain;

/// <summary>The corruption C(x~ | x) of a <see cref="Gsn"/>.</summary>
public enum GsnCorruption
{
    /// <summary>Each coordinate, with probability <see cref="GsnOptions.NoiseProbability"/>, becomes 0 or 1 at random (binary images).</summary>
    SaltPepper,

    /// <summary>x + std * eps with eps ~ N(0, I) and std = <see cref="GsnOptions.NoiseStd"/> (continuous data).</summary>
    Gaussian,
}

/// <summary>The reconstruction distribution P(x | x~) of a <see cref="Gsn"/>.</summary>
public enum GsnOutput
{
    /// <summary>Independent Bernoulli coordinates given by logits: data in [0, 1], binarized images.</summary>
    Bernoulli,

    /// <summary>Diagonal Gaussian, its std fixed (<see cref="GsnOptions.OutputStd"/>) or predicted per coordinate.</summary>
    Gaussian,
}

/// <summary>Hidden-layer nonlinearity of the reconstruction network.</summary>
public enum GsnActivation
{
    Relu,
    Tanh,
}

/// <summary>What the walkback chain carries from one reconstruction to the next corruption.</summary>
public enum GsnWalkbackDraw
{
    /// <summary>A draw x_k ~ P(x | x~_k), as the model's own Markov chain does (Bengio et al. 2013, algorithm 2).</summary>
    Sample,

    /// <summary>The reconstruction mean E[x | x~_k] (less noisy, a cheaper approximation).</summary>
    Mean,
}

/// <summary>Options of a <see cref="Gsn"/>; defaults are the binarized-MNIST model.</summary>
public sealed record GsnOptions
{
    /// <summary>Shape of one example: [C, H, W] for images, [D] for vectors.</summary>
    public long[] EventShape { get; init; } = [1, 28, 28];

    /// <summary>Width of each hidden layer of the reconstruction network.</summary>
    public int Hidden { get; init; } = 1000;

    /// <summary>Number of hidden layers of the reconstruction network.</summary>
    public int Depth { get; init; } = 2;

    public GsnActivation Activation { get; init; } = GsnActivation.Relu;

    public GsnOutput Output { get; init; } = GsnOutput.Bernoulli;

    /// <summary>Fixed std of a Gaussian output; null lets the network predict a std per coordinate.</summary>
    public double? OutputStd { get; init; }

    public GsnCorruption Noise { get; init; } = GsnCorruption.SaltPepper;

    /// <summary>Probability that salt-and-pepper noise replaces a coordinate by a random bit.</summary>
    public double NoiseProbability { get; init; } = 0.4;

    /// <summary>Std of Gaussian corruption.</summary>
    public double NoiseStd { get; init; } = 0.5;

    /// <summary>Walkback steps K: reconstructions of the original x from K successive corruptions along the chain.</summary>
    public int Walkback { get; init; } = 3;

    public GsnWalkbackDraw WalkbackDraw { get; init; } = GsnWalkbackDraw.Sample;

    /// <summary>Chain steps from noise before <see cref="Gsn.Sample"/> returns.</summary>
    public int Burnin { get; init; } = 100;

    /// <summary>Throws <see cref="InvalidInputException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (EventShape.Length == 0 || EventShape.Any(d => d <= 0))
            throw new InvalidInputException($"GSN event shape must be positive, got [{string.Join(", ", EventShape)}].");
        if (Hidden < 1) throw new InvalidInputException($"hidden must be at least 1, got {Hidden}.");
        if (Depth < 1) throw new InvalidInputException($"depth must be at least 1, got {Depth}.");
        if (OutputStd is double std && (!(std > 0) || double.IsInfinity(std)))
            throw new InvalidInputException($"output_std must be a positive number or 'learned', got {std}.");
        if (!(NoiseProbability > 0 && NoiseProbability <= 1))
            throw new InvalidInputException($"noise_prob must lie in (0, 1], got {NoiseProbability}.");
        if (!(NoiseStd > 0) || double.IsInfinity(NoiseStd))
            throw new InvalidInputException($"noise_std must be a positive number, got {NoiseStd}.");
        if (Walkback < 1) throw new InvalidInputException($"walkback must be at least 1, got {Walkback}.");
        if (Burnin < 1) throw new InvalidInputException($"burnin must be at least 1, got {Burnin}.");
        if (OutputStd != null && Output != GsnOutput.Gaussian)
            throw new InvalidInputException($"output_std={OutputStd} needs output=gaussian; a Bernoulli output has no std.");
    }
}
