using static TorchSharp.torch;

namespace GenerativeSharp.Models;

/// <summary>Models that can be conditioned on a class label (when <see cref="Classes"/> &gt; 0): trained and sampled given it.</summary>
public interface IClassConditional : ITrainable, IGenerativeModel
{
    /// <summary>Number of classes; 0 when this instance is unconditional.</summary>
    int Classes { get; }

    /// <summary>The loss on a batch given its labels [B] (int64 in [0, Classes)).</summary>
    StepResult Loss(Tensor batch, Tensor labels, Generator? generator = null);

    /// <summary>Draws one example per label [count] (int64 in [0, Classes)): [count, ...EventShape].</summary>
    Tensor Sample(Tensor labels, Generator? generator = null);
}
