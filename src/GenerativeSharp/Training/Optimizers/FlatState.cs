using static TorchSharp.torch;

namespace GenerativeSharp.Training.Optimizers;

/// <summary>Reads one saved optimizer tensor, checking that it fits the live buffer.</summary>
internal static class FlatState
{
    public static Tensor Get(IReadOnlyDictionary<string, Tensor> state, string key, Tensor? like)
    {
        if (!state.TryGetValue(key, out Tensor? saved))
            throw new InvalidInputException($"the checkpoint holds no optimizer state '{key}'; it cannot be resumed.");
        if (like is not null && !saved.shape.SequenceEqual(like.shape))
            throw new InvalidInputException($"optimizer state '{key}' has {saved.numel()} elements but the model has {like.numel()}; the checkpoint belongs to another model.");
        return saved;
    }
}
