using TorchSharp;

namespace GenerativeSharp.Data;

/// <summary>
/// One of the seven 2-D toy densities of FFJORD's toy_data (Grathwohl et al. 2019, "FFJORD:
/// Free-form Continuous Dynamics for Scalable Reversible Generative Models", arXiv:1810.01367;
/// rtqichen/ffjord lib/toy_data.py), with its true log-density and its differential entropy: the
/// lowest expected test NLL any model can reach (docs/evaluation.md). Get one from <see cref="ToyDensities"/>.
/// </summary>
public sealed class ToyDensity
{
    private readonly Func<int, torch.Generator, torch.Tensor> _sample;
    private readonly Func<torch.Tensor, torch.Tensor> _logProb;

    internal ToyDensity(string name, double entropyNats, Func<int, torch.Generator, torch.Tensor> sample, Func<torch.Tensor, torch.Tensor> logProb)
    {
        Name = name;
        EntropyNats = entropyNats;
        _sample = sample;
        _logProb = logProb;
    }

    /// <summary>"checkerboard", "8gaussians", "moons", "circles", "swissroll", "2spirals" or "rings".</summary>
    public string Name { get; }

    /// <summary>
    /// The density's entropy in nats, H = -E[log p(x)]: ln 32 for the checkerboard, the others from
    /// a 2-D quadrature of -p log p with <see cref="LogProb"/> (checked by the tests to 0.002).
    /// </summary>
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

    /// <summary>
    /// The true log-density in nats at <paramref name="points"/> [n, 2] (any float type), float64 [n]:
    /// closed form for checkerboard, 8gaussians, circles and rings, a 1-D quadrature for moons,
    /// swissroll and 2spirals (see <see cref="ToyLogDensities"/>).
    /// </summary>
    public torch.Tensor LogProb(torch.Tensor points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.dim() != 2 || points.shape[1] != 2)
            throw new ArgumentException($"points must be [n, 2]; got [{string.Join(", ", points.shape)}].", nameof(points));
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return _logProb(points.detach().cpu().to(torch.float64)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override string ToString() => $"toy:{Name}";
}
