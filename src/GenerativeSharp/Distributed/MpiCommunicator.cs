using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Distributed;

/// <summary>
/// MPI_COMM_WORLD of the ranks mpirun started: rank, size and the collectives data-parallel training uses (sum all-reduce in
/// place on a tensor's own memory, max all-reduce, all-gather of bytes). Errors come back as codes (MPI_ERRORS_RETURN) and
/// are thrown as <see cref="DistributedException"/>; a rank that dies ends the job through mpirun, which Open MPI aborts when
/// one of its processes exits without MPI_Finalize, and a collective that does not return within the
/// <see cref="CollectiveWatchdog"/>'s limit aborts the job (docs/scaling.md, "Failure").
/// </summary>
public sealed unsafe class MpiCommunicator : IDisposable
{
    private const int ChunkElements = 1 << 28;        // MPI counts are int: buffers go in chunks of 2^28 elements
    private readonly MpiLibrary mpi;
    private readonly CollectiveWatchdog? watchdog;
    private bool finalized;

    private MpiCommunicator(MpiLibrary mpi, int rank, int size, TimeSpan? limit)
    {
        this.mpi = mpi;
        Rank = rank;
        Size = size;
        if (limit is TimeSpan time) watchdog = new CollectiveWatchdog(time, rank, Expire);
    }

    /// <summary>This process's rank in [0, <see cref="Size"/>).</summary>
    public int Rank { get; }

    /// <summary>The number of ranks.</summary>
    public int Size { get; }

    /// <summary>The time limit on each collective call (<see cref="CollectiveWatchdog"/>), or null when there is none.</summary>
    public TimeSpan? CollectiveLimit => watchdog?.Limit;

    /// <summary>Loads libmpi and initialises MPI (once per process), with the collective time limit of <see cref="CollectiveWatchdog.VariableName"/>.</summary>
    /// <exception cref="InvalidInputException">No Open MPI is installed, or the time limit is not a number of seconds.</exception>
    public static MpiCommunicator Open()
    {
        TimeSpan? limit = CollectiveWatchdog.LimitFromEnvironment();
        MpiLibrary mpi = MpiLibrary.Load();
        int initialized = 0, rank = 0, size = 0;
        Check(mpi, mpi.Initialized(&initialized), "MPI_Initialized");
        if (initialized == 0) Check(mpi, mpi.Init(null, 0), "MPI_Init");
        Check(mpi, mpi.CommSetErrhandler(mpi.CommWorld, mpi.ErrorsReturn), "MPI_Comm_set_errhandler");
        Check(mpi, mpi.CommRank(mpi.CommWorld, &rank), "MPI_Comm_rank");
        Check(mpi, mpi.CommSize(mpi.CommWorld, &size), "MPI_Comm_size");
        return new MpiCommunicator(mpi, rank, size, limit);
    }

    /// <summary>Sums a contiguous CPU float32 or float64 tensor over all ranks, in place in its own memory (MPI_IN_PLACE).</summary>
    public void AllReduceSum(Tensor buffer)
    {
        if (buffer.device_type != DeviceType.CPU || !buffer.is_contiguous())
            throw new ArgumentException("the all-reduce works on contiguous CPU tensors.", nameof(buffer));
        (nint type, int width) = buffer.dtype switch
        {
            ScalarType.Float32 => (mpi.Float, 4),
            ScalarType.Float64 => (mpi.Double, 8),
            _ => throw new ArgumentException($"the all-reduce sums float32 or float64, not {buffer.dtype}.", nameof(buffer)),
        };
        using var watch = Watch("MPI_Allreduce");
        fixed (byte* data = buffer.bytes)
            for (long start = 0, total = buffer.numel(); start < total; start += ChunkElements)
            {
                int count = (int)Math.Min(ChunkElements, total - start);
                Check(mpi, mpi.Allreduce(MpiLibrary.InPlace, (nint)(data + start * width), count, type, mpi.Sum, mpi.CommWorld), "MPI_Allreduce");
            }
    }

    /// <summary>Sums <paramref name="values"/> over all ranks, in place.</summary>
    public void AllReduceSum(double[] values)
    {
        using var watch = Watch("MPI_Allreduce");
        fixed (double* data = values)
            Check(mpi, mpi.Allreduce(MpiLibrary.InPlace, (nint)data, values.Length, mpi.Double, mpi.Sum, mpi.CommWorld), "MPI_Allreduce");
    }

    /// <summary>The element-wise maximum of <paramref name="values"/> over all ranks, in place.</summary>
    public void AllReduceMax(long[] values)
    {
        using var watch = Watch("MPI_Allreduce");
        fixed (long* data = values)
            Check(mpi, mpi.Allreduce(MpiLibrary.InPlace, (nint)data, values.Length, mpi.Int64, mpi.Max, mpi.CommWorld), "MPI_Allreduce");
    }

    /// <summary>Every rank's <paramref name="mine"/> (all of the same length), in rank order.</summary>
    public byte[][] AllGather(byte[] mine)
    {
        var all = new byte[mine.Length * Size];
        using var watch = Watch("MPI_Allgather");
        fixed (byte* send = mine)
        fixed (byte* receive = all)
            Check(mpi, mpi.Allgather((nint)send, mine.Length, mpi.Byte, (nint)receive, mine.Length, mpi.Byte, mpi.CommWorld), "MPI_Allgather");
        return Enumerable.Range(0, Size).Select(r => all.AsSpan(r * mine.Length, mine.Length).ToArray()).ToArray();
    }

    /// <summary>
    /// Waits until every rank has reached this call (MPI_Barrier) with no time limit: for the wait on work of one rank whose
    /// length has no bound, such as rank 0 drawing the sample grid and writing the checkpoint at an epoch end.
    /// </summary>
    public void WaitForAllUntimed() => Check(mpi, mpi.Barrier(mpi.CommWorld), "MPI_Barrier");

    /// <summary>Ends every rank of the job with <paramref name="code"/> (MPI_Abort): used when this rank fails, so that no other waits on it.</summary>
    public void Abort(int code) => mpi.Abort(mpi.CommWorld, code);

    /// <summary>MPI_Finalize, once.</summary>
    public void Dispose()
    {
        if (finalized) return;
        finalized = true;
        watchdog?.Dispose();
        int done = 0;
        if (mpi.Finalized(&done) == 0 && done == 0) mpi.Finalize();
    }

    private CollectiveWatchdog.Scope Watch(string call) => watchdog?.Watch(call) ?? default;

    /// <summary>The watchdog's end of the job: one line on stderr, then MPI_Abort (and an exit, should it return).</summary>
    private void Expire(string message)
    {
        Console.Error.WriteLine(message);
        Console.Error.Flush();
        Abort(1);
        Environment.Exit(1);
    }

    private static void Check(MpiLibrary mpi, int code, string call)
    {
        if (code != 0) throw new DistributedException($"{call} failed: {mpi.Describe(code)} (another rank may have stopped).");
    }
}
