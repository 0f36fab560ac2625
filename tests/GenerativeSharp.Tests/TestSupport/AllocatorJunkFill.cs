using System.Runtime.InteropServices;
using TorchSharp;

namespace GenerativeSharp.Tests.TestSupport;

/// <summary>
/// Turns on libtorch's "junk fill" of new CPU allocations (c10's flag caffe2_cpu_allocator_do_junk_fill)
/// while alive: every tensor buffer then starts as NaN instead of whatever the allocator last held,
/// so a kernel that reads memory it never wrote gives NaN on every machine, not only where the stale
/// bytes happen to be bad. Tests that use it run in the <see cref="SerialNativeCollection"/>, so no
/// other test runs meanwhile. Where the flag is not exported, <see cref="Active"/> is false.
/// </summary>
internal sealed class AllocatorJunkFill : IDisposable
{
    private const string Flag = "FLAGS_caffe2_cpu_allocator_do_junk_fill";
    private readonly IntPtr address;
    private readonly byte previous;

    public AllocatorJunkFill()
    {
        _ = torch.zeros(1);   // loads the natives
        foreach (string name in new[] { "libc10.so", "c10.dll", "libc10.dylib" })
        {
            if (!NativeLibrary.TryLoad(name, typeof(torch).Assembly, null, out IntPtr library)) continue;
            if (!NativeLibrary.TryGetExport(library, Flag, out address)) continue;
            previous = Marshal.ReadByte(address);
            Marshal.WriteByte(address, 1);
            Active = true;
            return;
        }
    }

    public bool Active { get; }

    public void Dispose()
    {
        if (Active) Marshal.WriteByte(address, previous);
    }
}

/// <summary>Tests that change process-wide native settings; xunit runs this collection alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialNativeCollection
{
    public const string Name = "serial native settings";
}
