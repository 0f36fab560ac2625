using static TorchSharp.torch;

namespace GenerativeSharp.Training;

/// <summary>
/// What the <see cref="Trainer"/> calls once per batch: everything model-specific about an update
/// (one objective, an adversarial pair, contrastive divergence). The trainer wraps each call in a
/// dispose scope, so implementations may allocate freely.
/// </summary>
public interface ITrainingStep
{
    /// <summary>One update on a batch; returns named scalar metrics, at least "loss".</summary>
    IReadOnlyDictionary<string, double> Step(Tensor batch, Generator generator);

    /// <summary>
    /// One update on a batch with its class labels [B] (null when the data has none); steps of
    /// unconditional models ignore them.
    /// </summary>
    IReadOnlyDictionary<string, double> Step(Tensor batch, Tensor? labels, Generator generator) => Step(batch, generator);

    /// <summary>Adds the step's persistent state (optimizer moments, counters) as named tensors.</summary>
    void SaveState(IDictionary<string, Tensor> state);

    /// <summary>Restores what <see cref="SaveState"/> wrote.</summary>
    void LoadState(IReadOnlyDictionary<string, Tensor> state);
}
