using GenerativeSharp.Models;
using static TorchSharp.torch;

namespace GenerativeSharp.Latent;

/// <summary>
/// Attribute vectors in a VAE's latent space (the "smile vector" arithmetic of White 2016, "Sampling Generative Networks",
/// and of Hou et al. 2017, section 4.3): the mean code of the class one moves to less the mean code of the class one moves
/// from, added to an image's code in growing amounts and decoded.
/// </summary>
public static class AttributeVectors
{
    /// <summary>
    /// The mean encoder code of each class over <paramref name="examples"/> [N, ...event] with integer
    /// <paramref name="labels"/> [N]: [classes, ...LatentShape], in batches, without gradients, summed in float64.
    /// A class with no example is refused in one line.
    /// </summary>
    public static Tensor ClassMeans(ILatentModel model, Tensor examples, Tensor labels, int classes, Device device, int batch = 500)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (labels.shape[0] != examples.shape[0]) throw new ArgumentException("one label per example expected", nameof(labels));
        long latent = model.LatentShape.Aggregate(1L, (a, b) => a * b);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor sums = zeros([classes, latent], ScalarType.Float64);             // [K, L]
        Tensor counts = zeros([classes], ScalarType.Float64);                   // [K]
        for (long start = 0; start < examples.shape[0]; start += batch)
        {
            using var inner = NewDisposeScope();
            long n = Math.Min(batch, examples.shape[0] - start);
            Tensor codes = model.Encode(examples.narrow(0, start, n).to(device)).reshape(n, latent).cpu().to(ScalarType.Float64);   // [n, L]
            Tensor y = labels.narrow(0, start, n).to(ScalarType.Int64).cpu();
            sums.index_add_(0, y, codes, 1);
            counts.index_add_(0, y, ones([n], ScalarType.Float64), 1);
        }
        long missing = (counts == 0).nonzero().numel();
        if (missing > 0)
            throw new InvalidInputException($"class {(counts == 0).nonzero()[0, 0].item<long>()} has no training example to average.");
        Tensor means = (sums / counts.unsqueeze(1)).to(ScalarType.Float32);     // [K, L]
        return means.view(new[] { (long)classes }.Concat(model.LatentShape).ToArray()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// For each of <paramref name="images"/> [N, ...event]: its code plus s · <paramref name="vector"/> for
    /// <paramref name="steps"/> evenly spaced s from <paramref name="from"/> to <paramref name="to"/> (ends included),
    /// decoded: [N * steps, ...event], row by row (image 0's steps first).
    /// </summary>
    public static Tensor Walk(ILatentModel model, Tensor images, Tensor vector, int steps, double from = 0, double to = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (steps < 2) throw new ArgumentOutOfRangeException(nameof(steps), steps, "a walk needs at least 2 steps");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long n = images.shape[0], latent = vector.numel();
        Tensor codes = model.Encode(images).reshape(n, 1, latent);                          // [N, 1, L]
        Tensor s = linspace(from, to, steps, dtype: codes.dtype, device: codes.device).view(1, steps, 1);   // [1, K, 1]
        Tensor moved = (codes + s * vector.to(codes.device).reshape(1, 1, latent))          // [N, K, L]
            .reshape(new[] { n * steps }.Concat(model.LatentShape).ToArray());
        return model.Decode(moved).MoveToOuterDisposeScope();
    }
}
