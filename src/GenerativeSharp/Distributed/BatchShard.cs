namespace GenerativeSharp.Distributed;

/// <summary>
/// One rank's part of a global batch: the examples [<see cref="Offset"/>, <see cref="Offset"/> + <see cref="Count"/>) of
/// the <see cref="Global"/> the step takes. Contiguous, disjoint, together the whole batch; when the batch does not divide,
/// the first ranks take one example more (as torch.utils.data.DistributedSampler, but without padding by repetition).
/// </summary>
public sealed record BatchShard(long Offset, long Count, long Global)
{
    /// <summary>The shard of <paramref name="rank"/> among <paramref name="size"/> ranks of a batch of <paramref name="global"/> examples.</summary>
    public static BatchShard Of(long global, int rank, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, size);
        long share = global / size, extra = global % size;
        return new BatchShard(rank * share + Math.Min(rank, extra), share + (rank < extra ? 1 : 0), global);
    }

    /// <summary>
    /// The weight of this shard's mean-loss gradient in the global batch's mean: Count / Global (1 / N for equal shards), so the
    /// sum over ranks of the weighted gradients is the gradient of the global batch's mean loss.
    /// </summary>
    public double Weight => (double)Count / Global;
}
