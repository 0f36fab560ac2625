using System.Runtime.InteropServices;

namespace GenerativeSharp.Tests;

/// <summary>
/// A fact that starts ranks with Open MPI's mpirun (.ci/run installs openmpi-bin and libopenmpi-dev): skipped, with the
/// reason, where mpirun is not on PATH or libmpi.so.40 cannot be loaded.
/// </summary>
public sealed class MpiFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Missing = new(() =>
    {
        if (MpiJob.Launcher is null) return "mpirun is not on PATH (apt install openmpi-bin libopenmpi-dev)";
        if (!NativeLibrary.TryLoad("libmpi.so.40", out nint handle)) return "libmpi.so.40 cannot be loaded (apt install libopenmpi-dev)";
        NativeLibrary.Free(handle);
        return null;
    });

    public MpiFactAttribute()
    {
        if (Missing.Value is string reason) Skip = reason;
    }
}
