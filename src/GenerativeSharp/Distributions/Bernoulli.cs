using GenerativeSharp.Runtime;
using static TorchSharp.torch;

namespace GenerativeSharp.Distributions;

/// <summary>
/// Independent Bernoulli variables parameterised by logits, batched over the first dimension:
/// the likelihood of binarized images. Log-probabilities use the stable
/// binary-cross-entropy-with-logits form and sum over every dimension after the first.
/// </summary>
public sealed class Bernoulli
{
    /// <param name="logits">log-odds of a one, [batch, ...event]</param>
    public Bernoulli(Tensor logits)
    {
        Logits = logits;
    }

    public Tensor Logits { get; }

    /// <summary>Probabilities of a one, [batch, ...event].</summary>
    public Tensor Probabilities => Logits.sigmoid();

    /// <summary>sum_i x_i log p_i + (1 - x_i) log(1 - p_i): [batch]. x must hold values in [0, 1].</summary>
    public Tensor LogProb(Tensor x)
    {
        if (!x.shape.SequenceEqual(Logits.shape))
            throw new ArgumentException($"x must have the logits' shape [{string.Join(", ", Logits.shape)}]; got [{string.Join(", ", x.shape)}].");
        Tensor perCoordinate = -nn.functional.binary_cross_entropy_with_logits(Logits, x, reduction: nn.Reduction.None);
        return DiagonalNormal.SumEvent(perCoordinate);
    }

    /// <summary>Draws 0/1 values, [batch, ...event].</summary>
    public Tensor Sample(Generator? generator = null)
    {
        using var probabilities = Probabilities;
        return Draw(probabilities, generator);
    }

    /// <summary>
    /// 0/1 draws with P(1) = <paramref name="probabilities"/>, same shape and dtype, as u &lt; p with
    /// u ~ U[0, 1): libtorch's seeded bernoulli kernel is about ten times slower on CPU.
    /// </summary>
    public static Tensor Draw(Tensor probabilities, Generator? generator = null)
    {
        using var uniform = SeededRandom.Uniform(probabilities.shape, probabilities.dtype, probabilities.device, generator);
        using var below = uniform.lt(probabilities);
        return below.to(probabilities.dtype);
    }
}
