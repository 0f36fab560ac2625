using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Runtime;

/// <summary>
/// Seeded random draws on any device. TorchSharp 0.107 always makes a CPU generator (its native
/// THSGenerator_new ignores the device), and libtorch refuses a CPU generator for a CUDA draw, so a
/// seeded draw for another device is made on the CPU and copied over. Unseeded draws (no generator)
/// use the device's default generator. The same seed gives the same numbers on every device.
/// </summary>
public static class SeededRandom
{
    /// <summary>U[0, 1) of <paramref name="shape"/>.</summary>
    public static Tensor Uniform(long[] shape, ScalarType dtype, Device device, Generator? generator) =>
        Draw(device, generator, target => rand(shape, dtype: dtype, device: target, generator: generator));

    /// <summary>N(0, 1) of <paramref name="shape"/>.</summary>
    public static Tensor Normal(long[] shape, ScalarType dtype, Device device, Generator? generator) =>
        Draw(device, generator, target => randn(shape, dtype: dtype, device: target, generator: generator));

    /// <summary>Integers uniform in [0, <paramref name="high"/>) of <paramref name="shape"/>.</summary>
    public static Tensor Integers(long high, long[] shape, ScalarType dtype, Device device, Generator? generator) =>
        Draw(device, generator, target => randint(high, shape, dtype: dtype, device: target, generator: generator));

    /// <summary>One category per row of <paramref name="probabilities"/> [B, K] (rows need not sum to one): int64 [B, 1].</summary>
    public static Tensor Categorical(Tensor probabilities, Generator? generator)
    {
        if (generator is null || probabilities.device_type == DeviceType.CPU)
            return probabilities.multinomial(1, generator: generator);
        using var onCpu = probabilities.cpu();
        using var drawn = onCpu.multinomial(1, generator: generator);
        return drawn.to(probabilities.device);
    }

    private static Tensor Draw(Device device, Generator? generator, Func<Device, Tensor> draw)
    {
        if (generator is null || device.type == DeviceType.CPU) return draw(device);
        using var onCpu = draw(CPU);
        return onCpu.to(device);
    }
}
