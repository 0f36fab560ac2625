using GenerativeSharp.Data;
using static TorchSharp.torch;

namespace GenerativeSharp.Training;

/// <summary>
/// What the <see cref="Trainer"/> calls once per batch: everything model-specific about an update
/// (one objective, an adversarial pair, contrastive divergence). The trainer wraps each call in a
/// dispose scope, so implementations may allocate freely.
/// </summary>
public interface ITrainingStep
{
    /// <summary>
    /// One update on a batch (inputs, and the labels and paired targets that came with them; a
    /// conditional model takes the context it needs); returns named scalar metrics, at least "loss".
    /// </summary>
    IReadOnlyDictionary<string, double> Step(Batch batch, Generator generator);

    /// <summary>Adds the step's persistent state (optimizer moments, counters) as named tensors.</summary>
    void SaveState(IDictionary<string, Tensor> state);

    /// <summary>Restores what <see cref="SaveState"/> wrote.</summary>
    void LoadState(IReadOnlyDictionary<string, Tensor> state);
}
