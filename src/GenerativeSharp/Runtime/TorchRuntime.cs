using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Runtime;

/// <summary>Device choice and a one-line description of the native runtime.</summary>
public static class TorchRuntime
{
    /// <summary>"cpu" or "cuda"; cuda fails with a one-line reason when no CUDA runtime can be loaded.</summary>
    public static Device ResolveDevice(string name)
    {
        switch (name.Trim().ToLowerInvariant())
        {
            case "cpu":
                return CPU;
            case "cuda":
                try
                {
                    InitializeDeviceType(DeviceType.CUDA);
                }
                catch (Exception e) when (e is NotSupportedException or TypeInitializationException or DllNotFoundException or InvalidOperationException)
                {
                    throw new InvalidInputException(
                        "--device cuda: no CUDA runtime could be loaded (this build ships the CPU libtorch; see docs/gpu.md to run on a GPU machine).", e);
                }
                if (!cuda.is_available())
                    throw new InvalidInputException("--device cuda: CUDA is not available on this machine; use --device cpu.");
                return CUDA;
            default:
                throw new InvalidInputException($"--device {name}: expected cpu or cuda.");
        }
    }

    /// <summary>e.g. "TorchSharp 0.107.0, 2 threads, cpu".</summary>
    public static string Describe(Device device)
    {
        Version? version = typeof(torch).Assembly.GetName().Version;
        return $"TorchSharp {version?.ToString(3) ?? "?"}, {get_num_threads()} threads, {device.type.ToString().ToLowerInvariant()}";
    }
}
