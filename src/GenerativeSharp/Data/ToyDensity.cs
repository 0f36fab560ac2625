using TorchSharp;

namespace GenerativeSharp.Data;

/// <summary>
/// One of the seven 2-D toy densities of FFJORD's toy_data (Grathwohl et al. 2019, "FFJORD:
/// Free-form Continuous Dynamics for Scalable Reversible Generative Models", arXiv:1810.01367;
/// rtqichen/ffjord lib/toy_data.py), with its differential entropy: the lowest expected test NLL
/// any model can reach (EVALUATION.md). Get one from <see cref="ToyDensities"/>.
/// </summary>
public sealed class ToyDensity
{
    private readonly Func<int, torch.Generator, torch.Tensor> _sample;

    internal ToyDensity(string name, double entropyNats, Func<int, torch.Generator, torch.Tensor> sample)
    {
        Name = name;
        EntropyNats = entropyNats;
        _sample = sample;
    }

    /// <summary>"checkerboard", "8gaussians", "moons", "circles", "swissroll", "2spirals" or "rings".</summary>
    public string Name { get; }

    /// <summary>The density's entropy in nats (EVALUATION.md; exact, ln 32, for the checkerboard).</summary>
    public double EntropyNats { get; }

    /// <summary>
    /// Draws <paramref name="count"/> points, float32 [count, 2]. All randomness comes from
    /// <paramref name="generator"/>: the same seed gives the same points.
    /// </summary>
    public torch.Tensor Sample(int count, torch.Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = torch.NewDisposeScope();
        torch.Tensor points = _sample(count, generator).to(torch.float32); // [count, 2]
        return points.MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override string ToString() => $"toy:{Name}";
}
