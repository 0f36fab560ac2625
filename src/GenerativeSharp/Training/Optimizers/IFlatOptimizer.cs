using static TorchSharp.torch;

namespace GenerativeSharp.Training.Optimizers;

/// <summary>
/// An optimizer over <see cref="FlatParameters"/>: a step is a few whole-buffer ops whatever the
/// number of parameter tensors. Its state is named tensors, saved in the checkpoint.
/// </summary>
public interface IFlatOptimizer : IDisposable
{
    FlatParameters Parameters { get; }

    double LearningRate { get; set; }

    /// <summary>Zeroes the flat gradient.</summary>
    void ZeroGrad();

    /// <summary>The update rule on the current gradients.</summary>
    void Step();

    /// <summary>Adds the optimizer's state under names starting with <paramref name="prefix"/>.</summary>
    void SaveState(IDictionary<string, Tensor> state, string prefix);

    /// <summary>Restores what <see cref="SaveState"/> wrote; a one-line error when it does not fit.</summary>
    void LoadState(IReadOnlyDictionary<string, Tensor> state, string prefix);
}
