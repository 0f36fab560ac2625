using static TorchSharp.torch;

namespace GenerativeSharp.Models;

/// <summary>Models with a single objective that can be conditioned on a class label (when Classes &gt; 0): trained and sampled given it.</summary>
public interface IClassConditional : ITrainable, IClassConditionalSampler
{
    /// <summary>The loss on a batch given its labels [B] (int64 in [0, Classes)).</summary>
    StepResult Loss(Tensor batch, Tensor labels, Generator? generator = null);
}
