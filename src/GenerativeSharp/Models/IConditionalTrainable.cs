using static TorchSharp.torch;

namespace GenerativeSharp.Models;

/// <summary>Conditional models with a single objective: trained on each example with its context.</summary>
public interface IConditionalTrainable : ITrainable, IConditionalSampler
{
    /// <summary>The loss on a batch x given its context (labels [B], or paired images [B, C, H, W]).</summary>
    StepResult Loss(Tensor x, Tensor context, Generator? generator = null);
}
