using static TorchSharp.torch;

namespace GenerativeSharp.Models;

/// <summary>Every model: it can draw new examples. The implementing type is a torch Module.</summary>
public interface IGenerativeModel
{
    /// <summary>The shape of one example, e.g. [1, 28, 28] or [2].</summary>
    long[] EventShape { get; }

    /// <summary>
    /// Draws <paramref name="count"/> examples, [count, ...EventShape], for pictures and sample metrics.
    /// Models with a Bernoulli likelihood return pixel probabilities (the usual convention for figures);
    /// models of continuous data return draws. Runs without gradients.
    /// </summary>
    Tensor Sample(int count, Generator? generator = null);
}
