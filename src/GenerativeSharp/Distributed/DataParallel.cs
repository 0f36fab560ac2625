using System.Diagnostics;
using System.Security.Cryptography;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Distributed;

/// <summary>
/// Synchronous data parallelism over MPI ranks (Goyal et al. 2017, arXiv:1706.02677; Sergeev and Del Balso 2018, Horovod,
/// arXiv:1802.05799): every rank holds the same model, takes a disjoint <see cref="BatchShard"/> of each global batch, and
/// after backward the flat gradient buffer (<see cref="Training.Optimizers.FlatParameters"/>) is averaged with one in-place
/// MPI_Allreduce before the optimizer step, so every rank takes the same step. The run's one instance is <see cref="Current"/>,
/// which the training steps, ActNorm's data-dependent initialisation and the seeded draws consult; it is null in a
/// single-process run, which then behaves exactly as before.
/// </summary>
public sealed class DataParallel : IDisposable
{
    private readonly Stopwatch reduceClock = new();

    private DataParallel(MpiCommunicator communicator) => Communicator = communicator;

    /// <summary>The running data-parallel job of this process, or null.</summary>
    public static DataParallel? Current { get; private set; }

    public MpiCommunicator Communicator { get; }

    public int Rank => Communicator.Rank;

    public int Size => Communicator.Size;

    /// <summary>Rank 0 alone writes checkpoints, metrics, pictures and progress.</summary>
    public bool Writes => Rank == 0;

    /// <summary>This rank's part of the batch of the step being taken; null outside a step.</summary>
    public BatchShard? Shard { get; private set; }

    /// <summary>Seconds spent in gradient all-reduces so far (for docs/scaling.md).</summary>
    public double AllReduceSeconds => reduceClock.Elapsed.TotalSeconds;

    /// <summary>Gradient all-reduces so far.</summary>
    public long AllReduceCalls { get; private set; }

    /// <summary>Makes <paramref name="communicator"/>'s job <see cref="Current"/> until disposed.</summary>
    public static DataParallel Start(MpiCommunicator communicator)
    {
        if (Current is not null) throw new InvalidOperationException("a data-parallel job is already running in this process.");
        return Current = new DataParallel(communicator);
    }

    /// <summary>Marks the span of one step on <paramref name="shard"/>; disposing it ends the step.</summary>
    public IDisposable EnterStep(BatchShard shard)
    {
        Shard = shard;
        return new StepSpan(this);
    }

    /// <summary>
    /// Turns this rank's gradient of its shard's mean loss into the gradient of the global batch's mean loss, on every rank:
    /// scales by the shard's weight, then sums over ranks in place in the buffer's own memory (one MPI_Allreduce).
    /// </summary>
    public void AverageGradients(Tensor flatGradients)
    {
        BatchShard shard = Shard ?? throw new InvalidOperationException("gradients are averaged inside a step.");
        using (no_grad()) flatGradients.mul_(shard.Weight);
        reduceClock.Start();
        Communicator.AllReduceSum(flatGradients);
        reduceClock.Stop();
        AllReduceCalls++;
    }

    /// <summary>The sum over ranks of <paramref name="local"/> (any float tensor), as a new float64 CPU tensor.</summary>
    public Tensor SumOverRanks(Tensor local)
    {
        Tensor buffer = local.detach().to(ScalarType.Float64, CPU).contiguous().clone();
        Communicator.AllReduceSum(buffer);
        return buffer;
    }

    /// <summary>
    /// Holds every rank until rank 0 has written an epoch's end (sample grid, metrics, checkpoint), with no time limit: that
    /// work has no bound (a PixelCNN's grid on a CPU), so the others wait for it here rather than in a timed collective.
    /// </summary>
    public void WaitForWriter() => Communicator.WaitForAllUntimed();

    /// <summary>Whether <paramref name="mine"/> holds on any rank: all ranks then stop after the same step.</summary>
    public bool AnyRank(bool mine)
    {
        long[] flag = [mine ? 1 : 0];
        Communicator.AllReduceMax(flag);
        return flag[0] != 0;
    }

    /// <summary>The mean over ranks of each named value (every rank holds the same names).</summary>
    public Dictionary<string, double> MeanOverRanks(IReadOnlyDictionary<string, double> values)
    {
        string[] names = [.. values.Keys.Order(StringComparer.Ordinal)];
        double[] sums = [.. names.Select(n => values[n])];
        Communicator.AllReduceSum(sums);
        return names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => sums[p.i] / Size);
    }

    /// <summary>
    /// Refuses, on every rank, to train models that differ: hashes the module's parameters (SHA-256 of their bytes in name
    /// order; buffers such as BatchNorm's running statistics are each rank's own, and rank 0's are saved) and compares it with every other rank's. Made before the first step and before
    /// every checkpoint (<paramref name="when"/>), so replicas that drifted apart are never saved as one model.
    /// </summary>
    /// <exception cref="InvalidInputException">Some rank holds other weights than rank 0.</exception>
    public void CheckSameModel(nn.Module module, string when = "before the first step")
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, value) in module.named_parameters().OrderBy(p => p.name, StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(name));
            using Tensor bytes = value.detach().cpu().contiguous();
            hash.AppendData(bytes.bytes);
        }
        long mine = BitConverter.ToInt64(hash.GetHashAndReset(), 0);
        long[] extremes = [mine, ~mine];
        Communicator.AllReduceMax(extremes);
        if (extremes[0] != ~extremes[1])
            throw new InvalidInputException($"rank {Rank}: the {Size} ranks hold different model weights {when} " +
                "(give every rank the same --seed, model options and checkpoint); refusing to go on.");
    }

    /// <summary>Every rank's state of <paramref name="generator"/>, in rank order (a collective call: all ranks make it).</summary>
    public byte[][] GatherGeneratorStates(Generator generator)
    {
        using Tensor state = generator.get_state();
        return Communicator.AllGather(state.bytes.ToArray());
    }

    /// <summary>Ends the job normally on this rank (MPI_Finalize, which waits for the others) and clears <see cref="Current"/>.</summary>
    public void Finish()
    {
        Dispose();
        Communicator.Dispose();
    }

    /// <summary>
    /// Clears <see cref="Current"/> without finalizing MPI: a failed rank exits without MPI_Finalize (which would wait for
    /// ranks blocked in a collective), and mpirun then ends the whole job.
    /// </summary>
    public void Dispose()
    {
        if (ReferenceEquals(Current, this)) Current = null;
    }

    private sealed class StepSpan(DataParallel owner) : IDisposable
    {
        public void Dispose() => owner.Shard = null;
    }
}
