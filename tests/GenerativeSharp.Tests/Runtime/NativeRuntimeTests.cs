using System.Diagnostics;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Runtime;

public sealed class NativeRuntimeTests
{
    [Fact]
    public void Torch_loads_and_computes_with_gradients()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
        using var product = a.matmul(a);
        Assert.Equal(new float[] { 7, 10, 15, 22 }, product.data<float>().ToArray());

        using var x = tensor(3.0f, requires_grad: true);
        using var y = x * x;
        y.backward();
        Assert.Equal(6.0f, x.grad!.item<float>());
    }

    [Fact]
    public void Output_library_is_weakened_exactly_when_the_system_libstdcxx_lacks_the_version()
    {
        string library = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(library), $"missing {library}");
        string? readelf = RunReadelf(library);
        if (readelf == null) return;   // binutils absent: loading (the test above) is the proof
        string? system = new[] { "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }
            .FirstOrDefault(File.Exists);
        if (system == null) return;
        bool systemHasVersion = File.ReadAllText(system, System.Text.Encoding.Latin1).Contains("GLIBCXX_3.4.32\0", StringComparison.Ordinal);
        string line = readelf.Split('\n').Single(l => l.Contains("Name: GLIBCXX_3.4.32", StringComparison.Ordinal));
        Assert.Equal(!systemHasVersion, line.Contains("Flags: WEAK", StringComparison.Ordinal));
    }

    private static string? RunReadelf(string library)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("readelf", ["-V", library])
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            })!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
