using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Distributed;

/// <summary>
/// MPI_COMM_WORLD of the ranks mpirun started: rank, size and the collectives data-parallel training uses (sum all-reduce in
/// place on a tensor's own memory, max all-reduce, all-gather of bytes). Errors come back as codes (MPI_ERRORS_RETURN) and
/// are thrown as <see cref="DistributedException"/>; a rank that dies ends the job through mpirun, which Open MPI aborts when
/// one of its processes exits without MPI_Finalize (docs/scaling.md, "Failure").
/// </summary>
public sealed unsafe class MpiCommunicator : IDisposable
{
    private const int ChunkElements = 1 << 28;        // MPI counts are int: buffers go in chunks of 2^28 elements
    private readonly MpiLibrary mpi;
    private bool finalized;

    private MpiCommunicator(MpiLibrary mpi, int rank, int size)
    {
        this.mpi = mpi;
        Rank = rank;
        Size = size;
    }

    /// <summary>This process's rank in [0, <see cref="Size"/>).</summary>
    public int Rank { get; }

    /// <summary>The number of ranks.</summary>
    public int Size { get; }

    /// <summary>Loads libmpi and initialises MPI (once per process).</summary>
    /// <exception cref="InvalidInputException">No Open MPI is installed.</exception>
    public static MpiCommunicator Open()
    {
        MpiLibrary mpi = MpiLibrary.Load();
        int initialized = 0, rank = 0, size = 0;
        Check(mpi, mpi.Initialized(&initialized), "MPI_Initialized");
        if (initialized == 0) Check(mpi, mpi.Init(null, 0), "MPI_Init");
        Check(mpi, mpi.CommSetErrhandler(mpi.CommWorld, mpi.ErrorsReturn), "MPI_Comm_set_errhandler");
        Check(mpi, mpi.CommRank(mpi.CommWorld, &rank), "MPI_Comm_rank");
        Check(mpi, mpi.CommSize(mpi.CommWorld, &size), "MPI_Comm_size");
        return new MpiCommunicator(mpi, rank, size);
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
        fixed (double* data = values)
            Check(mpi, mpi.Allreduce(MpiLibrary.InPlace, (nint)data, values.Length, mpi.Double, mpi.Sum, mpi.CommWorld), "MPI_Allreduce");
    }

    /// <summary>The element-wise maximum of <paramref name="values"/> over all ranks, in place.</summary>
    public void AllReduceMax(long[] values)
    {
        fixed (long* data = values)
            Check(mpi, mpi.Allreduce(MpiLibrary.InPlace, (nint)data, values.Length, mpi.Int64, mpi.Max, mpi.CommWorld), "MPI_Allreduce");
    }

    /// <summary>Every rank's <paramref name="mine"/> (all of the same length), in rank order.</summary>
    public byte[][] AllGather(byte[] mine)
    {
        var all = new byte[mine.Length * Size];
        fixed (byte* send = mine)
        fixed (byte* receive = all)
            Check(mpi, mpi.Allgather((nint)send, mine.Length, mpi.Byte, (nint)receive, mine.Length, mpi.Byte, mpi.CommWorld), "MPI_Allgather");
        return Enumerable.Range(0, Size).Select(r => all.AsSpan(r * mine.Length, mine.Length).ToArray()).ToArray();
    }

    /// <summary>Ends every rank of the job with <paramref name="code"/> (MPI_Abort): used when this rank fails, so that no other waits on it.</summary>
    public void Abort(int code) => mpi.Abort(mpi.CommWorld, code);

    /// <summary>MPI_Finalize, once.</summary>
    public void Dispose()
    {
        if (finalized) return;
        finalized = true;
        int done = 0;
        if (mpi.Finalized(&done) == 0 && done == 0) mpi.Finalize();
    }

    private static void Check(MpiLibrary mpi, int code, string call)
    {
        if (code != 0) throw new DistributedException($"{call} failed: {mpi.Describe(code)} (another rank may have stopped).");
    }
}
