using GenerativeSharp.Runtime;
using static TorchSharp.torch;

namespace GenerativeSharp.Distributions;

/// <summary>
/// A normal distribution with independent coordinates, N(mu, diag(exp(logVar))), batched over the
/// first dimension. Built per call from a network's outputs (the VAE posterior, a Gaussian decoder),
/// so it owns no parameters. Log-probabilities sum over every dimension after the first.
/// </summary>
public sealed class DiagonalNormal
{
    private const double LogTwoPi = 1.8378770664093453;

    /// <param name="mu">means, [batch, ...event]</param>
    /// <param name="logVar">log variances, same shape as <paramref name="mu"/></param>
    public DiagonalNormal(Tensor mu, Tensor logVar)
    {
        if (!mu.shape.SequenceEqual(logVar.shape))
            throw new ArgumentException($"mu and logVar must have the same shape; got [{string.Join(", ", mu.shape)}] and [{string.Join(", ", logVar.shape)}].");
        Mu = mu;
        LogVar = logVar;
    }

    public Tensor Mu { get; }

    public Tensor LogVar { get; }

    /// <summary>log N(x; mu, sigma^2) summed over event dimensions: [batch].</summary>
    public Tensor LogProb(Tensor x)
    {
        Tensor perCoordinate = -0.5 * (LogTwoPi + LogVar + (x - Mu).square() * (-LogVar).exp());
        return SumEvent(perCoordinate);
    }

    /// <summary>Reparameterised draw mu + sigma * eps (gradients flow to mu and logVar).</summary>
    public Tensor RSample(Generator? generator = null)
    {
        Tensor eps = SeededRandom.Normal(Mu.shape, Mu.dtype, Mu.device, generator);
        return Mu + (0.5 * LogVar).exp() * eps;
    }

    /// <summary>
    /// Reparameterised draws with a leading sample dimension: [samples, batch, ...event].
    /// </summary>
    public Tensor RSample(long samples, Generator? generator = null)
    {
        long[] shape = new[] { samples }.Concat(Mu.shape).ToArray();
        Tensor eps = SeededRandom.Normal(shape, Mu.dtype, Mu.device, generator);
        return Mu.unsqueeze(0) + (0.5 * LogVar).exp().unsqueeze(0) * eps;
    }

    /// <summary>Closed-form KL(this || N(0, I)) summed over event dimensions: [batch].</summary>
    public Tensor KlToStandardNormal()
    {
        // KL = 1/2 sum(mu^2 + sigma^2 - 1 - log sigma^2)   (Kingma & Welling 2014, appendix B)
        return SumEvent(0.5 * (Mu.square() + LogVar.exp() - 1.0 - LogVar));
    }

    internal static Tensor SumEvent(Tensor perCoordinate)
    {
        return perCoordinate.dim() == 1 ? perCoordinate : perCoordinate.flatten(1).sum(1);
    }
}
