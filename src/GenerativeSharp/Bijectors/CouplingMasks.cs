using static TorchSharp.torch;

namespace GenerativeSharp.Bijectors;

/// <summary>
/// Binary masks of coupling layers (Dinh et al. 2017, "Density estimation using Real NVP",
/// arXiv:1605.08803, section 3.4): 1 marks the part that passes unchanged and conditions the rest.
/// </summary>
public static class CouplingMasks
{
    /// <summary>Vectors [D]: the even dimensions (or, with <paramref name="flip"/>, the odd ones) pass (NICE's partition).</summary>
    public static Tensor Alternating(long d, bool flip)
    {
        if (d < 2) throw new ArgumentException($"a coupling needs at least two dimensions; got {d}.");
        var values = new float[d];
        for (long i = 0; i < d; i++) values[i] = (i % 2 == 0) ^ flip ? 1f : 0f;
        return tensor(values);
    }

    /// <summary>Images [C, H, W]: a checkerboard over pixels, the same for every channel.</summary>
    public static Tensor Checkerboard(long[] shape, bool flip)
    {
        var values = new float[shape[0] * shape[1] * shape[2]];
        for (long c = 0; c < shape[0]; c++)
            for (long h = 0; h < shape[1]; h++)
                for (long w = 0; w < shape[2]; w++)
                    values[(c * shape[1] + h) * shape[2] + w] = ((h + w) % 2 == 0) ^ flip ? 1f : 0f;
        return tensor(values, shape);
    }

    /// <summary>Images [C, H, W]: the first half of the channels (or the second, with <paramref name="flip"/>) passes.</summary>
    public static Tensor Channels(long[] shape, bool flip)
    {
        if (shape[0] < 2) throw new ArgumentException($"a channel mask needs at least two channels; got {shape[0]}.");
        var values = new float[shape[0] * shape[1] * shape[2]];
        long plane = shape[1] * shape[2];
        for (long i = 0; i < values.Length; i++) values[i] = (i / plane < shape[0] / 2) ^ flip ? 1f : 0f;
        return tensor(values, shape);
    }
}
