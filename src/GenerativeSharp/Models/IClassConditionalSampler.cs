using static TorchSharp.torch;

namespace GenerativeSharp.Models;

/// <summary>Models that can draw examples of a given class (when <see cref="Classes"/> &gt; 0), whatever their training objective.</summary>
public interface IClassConditionalSampler : IGenerativeModel
{
    /// <summary>Number of classes; 0 when this instance is unconditional.</summary>
    int Classes { get; }

    /// <summary>Draws one example per label [count] (int64 in [0, Classes)): [count, ...EventShape].</summary>
    Tensor Sample(Tensor labels, Generator? generator = null);
}
