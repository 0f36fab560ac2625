using GenerativeSharp.Bijectors;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Distributions;

/// <summary>
/// A normalizing flow as a distribution: a standard normal base over the latent and a bijector
/// whose Forward maps latent -> data. By the change of variables,
/// log p(x) = log N(z; 0, I) + log |det dz/dx| with (z, log |det|) = Inverse(x); sampling draws z
/// and returns Forward(z). A temperature T scales the base noise (Kingma and Dhariwal 2018, "Glow",
/// arXiv:1807.03039, section 5: samples from p(x)^(1/T^2) in the latent).
/// Reference: Papamakarios et al., "Normalizing Flows for Probabilistic Modeling and Inference",
/// JMLR 2021 (arXiv:1912.02762).
/// </summary>
public sealed class Flow : nn.Module
{
    private readonly Bijector bijector;
    private readonly StandardNormal baseDistribution;

    public Flow(long[] eventShape, Bijector bijector) : base(nameof(Flow))
    {
        this.bijector = bijector;
        EventShape = eventShape;
        LatentShape = bijector.LatentShape(eventShape);
        baseDistribution = new StandardNormal(LatentShape);
        RegisterComponents();
    }

    public long[] EventShape { get; }

    public long[] LatentShape { get; }

    public Bijector Bijector => bijector;

    /// <summary>Exact log p(x), [B].</summary>
    public Tensor LogProb(Tensor x)
    {
        using var scope = NewDisposeScope();
        (Tensor z, Tensor logDet) = bijector.Inverse(x);
        return (baseDistribution.LogProb(z) + logDet).MoveToOuterDisposeScope();
    }

    /// <summary>Draws [count, ...EventShape] at temperature <paramref name="temperature"/> (1 = the model's density).</summary>
    public Tensor Sample(int count, double temperature = 1.0, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        Tensor z = Device is { } device
            ? baseDistribution.Sample(count, device, Dtype, generator) * temperature
            : baseDistribution.Sample(count, generator: generator) * temperature;
        return bijector.Forward(z).Output.MoveToOuterDisposeScope();
    }

    /// <summary>Data -> latent, [B, ...LatentShape].</summary>
    public Tensor Encode(Tensor x)
    {
        using var scope = NewDisposeScope();
        return bijector.Inverse(x).Output.MoveToOuterDisposeScope();
    }

    /// <summary>Latent -> data, [B, ...EventShape].</summary>
    public Tensor Decode(Tensor z)
    {
        using var scope = NewDisposeScope();
        return bijector.Forward(z).Output.MoveToOuterDisposeScope();
    }

    private Device? Device => parameters().FirstOrDefault()?.device;

    private ScalarType Dtype => parameters().FirstOrDefault()?.dtype ?? ScalarType.Float32;
}
