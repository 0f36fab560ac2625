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
        if (like is not null && saved.dtype != like.dtype)
            throw new InvalidInputException($"optimizer state '{key}' is {saved.dtype}, not {like.dtype}; the checkpoint is damaged.");
        return saved;
    }

    /// <summary>A saved step counter: one non-negative int64.</summary>
    public static long Step(IReadOnlyDictionary<string, Tensor> state, string key)
    {
        Tensor saved = Get(state, key, null);
        if (saved.dtype != ScalarType.Int64 || saved.numel() != 1 || saved.item<long>() < 0)
            throw new InvalidInputException($"optimizer state '{key}' is not one non-negative int64 step count; the checkpoint is damaged.");
        return saved.item<long>();
    }
}
