using static TorchSharp.torch;

namespace GenerativeSharp.Models;

/// <summary>Models trained by minimising one objective (everything but GANs and RBMs).</summary>
public interface ITrainable
{
    /// <summary>The loss to minimise on a batch and named scalar metrics to log, all 0-d tensors.</summary>
    StepResult Loss(Tensor batch, Generator? generator = null);
}

/// <summary>The result of one objective evaluation: a differentiable scalar loss and named scalar metrics.</summary>
public sealed record StepResult(Tensor Loss, IReadOnlyDictionary<string, Tensor> Metrics);
