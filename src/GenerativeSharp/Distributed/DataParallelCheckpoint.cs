using GenerativeSharp.Training;
using static TorchSharp.torch;

namespace GenerativeSharp.Distributed;

/// <summary>
/// What a data-parallel run adds to its checkpoint: the number of ranks and every rank's generator state, gathered to
/// rank 0 (which alone writes), so that <c>--resume</c> under the same number of ranks gives each rank its own generator
/// back and continues bit-exactly. Under another number of ranks the run continues from rank 0's generator, the same
/// numbers up to float rounding (the global batch and its noise do not depend on the rank count), but not bit-exactly.
/// </summary>
public static class DataParallelCheckpoint
{
    public const string RanksKey = "_gensharp.parallel.ranks";
    public const string GeneratorPrefix = "_gensharp.parallel.generator.";

    /// <summary>Every rank's generator as checkpoint tensors; a collective call (all ranks make it). Null in a single process.</summary>
    public static IReadOnlyDictionary<string, Tensor>? Gather(DataParallel? parallel, Generator generator)
    {
        if (parallel is null) return null;
        byte[][] states = parallel.GatherGeneratorStates(generator);
        var tensors = new Dictionary<string, Tensor> { [RanksKey] = tensor((long)parallel.Size) };
        for (int rank = 0; rank < states.Length; rank++) tensors[GeneratorPrefix + rank] = tensor(states[rank]);
        return tensors;
    }

    /// <summary>
    /// Gives this rank its own generator back from <paramref name="checkpoint"/> when it was written by as many ranks
    /// (<paramref name="parallel"/> null: one process); otherwise tells <paramref name="messages"/> that the resumed run is not bit-exact.
    /// </summary>
    public static void Restore(LoadedCheckpoint checkpoint, DataParallel? parallel, Generator generator, TextWriter messages)
    {
        long written = checkpoint.TrainerState.TryGetValue(RanksKey, out Tensor? ranks) ? ranks.item<long>() : 1;
        int size = parallel?.Size ?? 1, rank = parallel?.Rank ?? 0;
        if (written == size)
        {
            if (checkpoint.TrainerState.TryGetValue(GeneratorPrefix + rank, out Tensor? state)) generator.set_state(state);
            return;
        }
        messages.WriteLine($"resuming a run of {written} rank{(written == 1 ? "" : "s")} on {size}: it continues from rank 0's " +
            "generator with the same global batches, equal up to float rounding but not bit-exact.");
    }
}
