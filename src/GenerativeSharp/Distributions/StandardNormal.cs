using GenerativeSharp.Runtime;
using static TorchSharp.torch;

namespace GenerativeSharp.Distributions;

/// <summary>The standard normal N(0, I) over a fixed event shape: the usual prior and flow base.</summary>
public sealed class StandardNormal
{
    private const double LogTwoPi = 1.8378770664093453;

    public StandardNormal(params long[] eventShape)
    {
        if (eventShape.Length == 0 || eventShape.Any(d => d <= 0))
            throw new ArgumentException($"event shape must be non-empty and positive; got [{string.Join(", ", eventShape)}].");
        EventShape = eventShape;
    }

    public long[] EventShape { get; }

    /// <summary>log N(x; 0, I) summed over event dimensions: [batch].</summary>
    public Tensor LogProb(Tensor x)
    {
        return DiagonalNormal.SumEvent(-0.5 * (x.square() + LogTwoPi));
    }

    /// <summary>Draws [count, ...EventShape].</summary>
    public Tensor Sample(long count, Device? device = null, ScalarType dtype = ScalarType.Float32, Generator? generator = null)
    {
        long[] shape = new[] { count }.Concat(EventShape).ToArray();
        return SeededRandom.Normal(shape, dtype, device ?? CPU, generator);
    }
}
