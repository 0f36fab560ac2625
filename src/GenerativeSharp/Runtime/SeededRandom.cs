using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Runtime;

/// <summary>
/// Seeded random draws on any device. TorchSharp 0.107 always makes a CPU generator (its native
/// THSGenerator_new ignores the device), and libtorch refuses a CPU generator for a CUDA draw, so a
/// seeded draw for another device is made on the CPU and copied over. Unseeded draws (no generator)
/// use the device's default generator. The same seed gives the same numbers on every device.
/// Inside a data-parallel step (<see cref="Distributed.DataParallel"/>), a seeded draw whose batch dimension (the first of
/// dimensions 0 and 1 whose length is the rank's shard) is drawn for the whole global batch and the rank keeps its slice: the
/// ranks then see the noise a single process would (results independent of the rank count up to float rounding), and
/// their generators stay in step. A slice of independent draws is itself independent draws, so a dimension mistaken for
/// the batch only changes which numbers are drawn, never their distribution.
/// </summary>
public static class SeededRandom
{
    /// <summary>U[0, 1) of <paramref name="shape"/>.</summary>
    public static Tensor Uniform(long[] shape, ScalarType dtype, Device device, Generator? generator) =>
        Sharded(shape, generator, global => Draw(device, generator, target => rand(global, dtype: dtype, device: target, generator: generator)));

    /// <summary>N(0, 1) of <paramref name="shape"/>.</summary>
    public static Tensor Normal(long[] shape, ScalarType dtype, Device device, Generator? generator) =>
        Sharded(shape, generator, global => Draw(device, generator, target => randn(global, dtype: dtype, device: target, generator: generator)));

    /// <summary>Integers uniform in [0, <paramref name="high"/>) of <paramref name="shape"/>.</summary>
    public static Tensor Integers(long high, long[] shape, ScalarType dtype, Device device, Generator? generator) =>
        Sharded(shape, generator, global => Draw(device, generator, target => randint(high, global, dtype: dtype, device: target, generator: generator)));

    /// <summary>One category per row of <paramref name="probabilities"/> [B, K] (rows need not sum to one): int64 [B, 1].</summary>
    public static Tensor Categorical(Tensor probabilities, Generator? generator)
    {
        if (generator is null || probabilities.device_type == DeviceType.CPU)
            return probabilities.multinomial(1, generator: generator);
        using var onCpu = probabilities.cpu();
        using var drawn = onCpu.multinomial(1, generator: generator);
        return drawn.to(probabilities.device);
    }

    /// <summary>
    /// The draw of <paramref name="shape"/>; inside a data-parallel step, this rank's slice of the global batch's draw.
    /// </summary>
    private static Tensor Sharded(long[] shape, Generator? generator, Func<long[], Tensor> draw)
    {
        if (generator is null || Distributed.DataParallel.Current?.Shard is not { } shard || shard.Count == shard.Global) return draw(shape);
        int dimension = Array.FindIndex(shape, 0, Math.Min(2, shape.Length), n => n == shard.Count);
        if (dimension < 0) return draw(shape);
        long[] global = (long[])shape.Clone();
        global[dimension] = shard.Global;
        using Tensor all = draw(global);
        using Tensor mine = all.narrow(dimension, shard.Offset, shard.Count);
        return mine.contiguous().clone();
    }

    private static Tensor Draw(Device device, Generator? generator, Func<Device, Tensor> draw)
    {
        if (generator is null || device.type == DeviceType.CPU) return draw(device);
        using var onCpu = draw(CPU);
        return onCpu.to(device);
    }
}
