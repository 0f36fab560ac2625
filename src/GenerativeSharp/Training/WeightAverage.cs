using static TorchSharp.torch;

namespace GenerativeSharp.Training;

/// <summary>
/// An exponential moving average of a network's weights, kept in a second network of the same
/// architecture (so that checkpoints hold it like any weights): after each update,
/// average = decay * average + (1 - decay) * source on parameters, buffers (batch-norm statistics)
/// copied. Sampling from the average is markedly better for GANs (Yazıcı et al., "The Unusual
/// Effectiveness of Averaging in GAN Training", ICLR 2019, arXiv:1806.04498) and is the standard
/// for diffusion models (Ho et al. 2020). Any model can keep one.
/// </summary>
public sealed class WeightAverage
{
    private readonly nn.Module source;
    private readonly nn.Module average;

    /// <summary>Tracks <paramref name="source"/> in <paramref name="average"/>, whose parameters stop taking gradients.</summary>
    public WeightAverage(nn.Module source, nn.Module average)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(average);
        if (source.parameters().Count() != average.parameters().Count())
            throw new ArgumentException("the average must have the source's architecture.", nameof(average));
        this.source = source;
        this.average = average;
        foreach (var p in average.parameters()) p.requires_grad = false;   // moved only by Update
    }

    /// <summary>average = decay * average + (1 - decay) * source; decay 0 copies the source.</summary>
    public void Update(double decay)
    {
        using var noGrad = no_grad();
        foreach (var (a, s) in average.parameters().Zip(source.parameters()))
            a.mul_(decay).add_(s, alpha: 1 - decay);
        foreach (var (a, s) in average.buffers().Zip(source.buffers()))
            a.copy_(s);
    }

    /// <summary>
    /// The decay after <paramref name="updates"/> updates: min(decay, (1 + t) / (10 + t)), the warm-up
    /// of TensorFlow's ExponentialMovingAverage, so short runs do not average in the initial weights.
    /// </summary>
    public static double WarmDecay(double decay, long updates) => Math.Min(decay, (1.0 + updates) / (10.0 + updates));
}
