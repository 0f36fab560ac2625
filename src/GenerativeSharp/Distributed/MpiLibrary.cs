using System.Runtime.InteropServices;

namespace GenerativeSharp.Distributed;

/// <summary>
/// The few entry points of the system's Open MPI (libmpi.so.40, Debian's <c>libopenmpi3</c>) that data-parallel training
/// needs, bound at run time with <see cref="NativeLibrary"/> so that nothing loads MPI unless <c>--distributed mpi</c> asks
/// for it. Open MPI's predefined handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, ...) are the addresses of global objects
/// (<c>ompi_mpi_comm_world</c>, <c>ompi_mpi_float</c>, <c>ompi_mpi_op_sum</c>), read with <see cref="NativeLibrary.GetExport"/>;
/// MPI_IN_PLACE is the address 1 (Open MPI's mpi.h). Signatures: the MPI 3.1 standard, chapters 5 and 8.
/// </summary>
internal sealed unsafe class MpiLibrary
{
    /// <summary>Open MPI's MPI_IN_PLACE.</summary>
    public static readonly nint InPlace = 1;

    private static readonly string[] Names = ["libmpi.so.40", "libmpi.so"];

    private MpiLibrary(nint handle)
    {
        nint Export(string name) => NativeLibrary.GetExport(handle, name);
        Init = (delegate* unmanaged<int*, nint, int>)Export("MPI_Init");
        Initialized = (delegate* unmanaged<int*, int>)Export("MPI_Initialized");
        Finalized = (delegate* unmanaged<int*, int>)Export("MPI_Finalized");
        Finalize = (delegate* unmanaged<int>)Export("MPI_Finalize");
        CommRank = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_rank");
        CommSize = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_size");
        Allreduce = (delegate* unmanaged<nint, nint, int, nint, nint, nint, int>)Export("MPI_Allreduce");
        Allgather = (delegate* unmanaged<nint, int, nint, nint, int, nint, nint, int>)Export("MPI_Allgather");
        Barrier = (delegate* unmanaged<nint, int>)Export("MPI_Barrier");
        Abort = (delegate* unmanaged<nint, int, int>)Export("MPI_Abort");
        CommSetErrhandler = (delegate* unmanaged<nint, nint, int>)Export("MPI_Comm_set_errhandler");
        ErrorString = (delegate* unmanaged<int, byte*, int*, int>)Export("MPI_Error_string");
        CommWorld = Export("ompi_mpi_comm_world");
        Float = Export("ompi_mpi_float");
        Double = Export("ompi_mpi_double");
        Int64 = Export("ompi_mpi_long_long_int");
        Byte = Export("ompi_mpi_byte");
        Sum = Export("ompi_mpi_op_sum");
        Max = Export("ompi_mpi_op_max");
        ErrorsReturn = Export("ompi_mpi_errors_return");
    }

    public delegate* unmanaged<int*, nint, int> Init { get; }
    public delegate* unmanaged<int*, int> Initialized { get; }
    public delegate* unmanaged<int*, int> Finalized { get; }
    public delegate* unmanaged<int> Finalize { get; }
    public delegate* unmanaged<nint, int*, int> CommRank { get; }
    public delegate* unmanaged<nint, int*, int> CommSize { get; }
    /// <summary>MPI_Allreduce(sendbuf, recvbuf, count, datatype, op, comm).</summary>
    public delegate* unmanaged<nint, nint, int, nint, nint, nint, int> Allreduce { get; }
    /// <summary>MPI_Allgather(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm).</summary>
    public delegate* unmanaged<nint, int, nint, nint, int, nint, nint, int> Allgather { get; }
    public delegate* unmanaged<nint, int> Barrier { get; }
    public delegate* unmanaged<nint, int, int> Abort { get; }
    public delegate* unmanaged<nint, nint, int> CommSetErrhandler { get; }
    public delegate* unmanaged<int, byte*, int*, int> ErrorString { get; }

    public nint CommWorld { get; }
    public nint Float { get; }
    public nint Double { get; }
    public nint Int64 { get; }
    public nint Byte { get; }
    public nint Sum { get; }
    public nint Max { get; }
    public nint ErrorsReturn { get; }

    /// <summary>Loads libmpi, or explains in one line why it cannot.</summary>
    /// <exception cref="InvalidInputException">No Open MPI library is installed, or it lacks an entry point.</exception>
    public static MpiLibrary Load()
    {
        foreach (string name in Names)
        {
            if (!NativeLibrary.TryLoad(name, typeof(MpiLibrary).Assembly, null, out nint handle)) continue;
            try
            {
                return new MpiLibrary(handle);
            }
            catch (EntryPointNotFoundException e)
            {
                throw new InvalidInputException($"--distributed mpi: {name} is not Open MPI ({e.Message}); install Open MPI (apt install openmpi-bin libopenmpi-dev).");
            }
        }
        throw new InvalidInputException("--distributed mpi: no MPI library (libmpi.so.40) was found; install Open MPI (apt install openmpi-bin libopenmpi-dev) " +
            "and start the ranks with mpirun.");
    }

    /// <summary>MPI's text for an error code.</summary>
    public string Describe(int code)
    {
        byte* text = stackalloc byte[256];             // MPI_MAX_ERROR_STRING is 256 in Open MPI
        int length = 0;
        return ErrorString(code, text, &length) == 0 ? System.Text.Encoding.ASCII.GetString(text, length) : $"MPI error {code}";
    }
}
