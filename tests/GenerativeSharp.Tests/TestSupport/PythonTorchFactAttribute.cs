using System.Diagnostics;

namespace GenerativeSharp.Tests;

/// <summary>
/// A fact that needs Debian's PyTorch (<c>/usr/bin/python3</c> with <c>import torch</c>; .ci/run installs python3-torch):
/// skipped, with the reason, where that interpreter lacks torch.
/// </summary>
public sealed class PythonTorchFactAttribute : FactAttribute
{
    /// <summary>The interpreter bench/peers/interop.py names in its shebang.</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<bool> Available = new(() =>
    {
        if (!File.Exists(Python)) return false;
        try
        {
            using var process = Process.Start(new ProcessStartInfo(Python, ["-c", "import torch"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            return process.WaitForExit(60_000) && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    public PythonTorchFactAttribute()
    {
        if (!Available.Value) Skip = $"{Python} cannot import torch (apt install python3-torch)";
    }
}
