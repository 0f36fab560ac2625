using GenerativeSharp.Models;
using static TorchSharp.torch;

namespace GenerativeSharp.Latent;

/// <summary>How to walk between two latent codes.</summary>
public enum InterpolationPath
{
    /// <summary>Straight line: (1 - t) a + t b.</summary>
    Linear,

    /// <summary>Great circle (slerp), which keeps Gaussian codes at a typical norm (White 2016, "Sampling Generative Networks").</summary>
    Spherical,
}

/// <summary>Decoded walks between examples in a model's latent space.</summary>
public static class LatentInterpolation
{
    /// <summary>
    /// Encodes <paramref name="a"/> and <paramref name="b"/> (each one example, [1, ...event]), walks
    /// <paramref name="steps"/> evenly spaced points from a's code to b's (both ends included) and decodes
    /// them: [steps, ...event].
    /// </summary>
    public static Tensor BetweenExamples(ILatentModel model, Tensor a, Tensor b, int steps, InterpolationPath path = InterpolationPath.Linear)
    {
        if (steps < 2) throw new ArgumentOutOfRangeException(nameof(steps), steps, "an interpolation needs at least 2 steps");
        if (a.shape[0] != 1 || b.shape[0] != 1)
            throw new ArgumentException($"expected one example each, [1, ...event]; got [{string.Join(", ", a.shape)}] and [{string.Join(", ", b.shape)}].");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor codes = BetweenCodes(model.Encode(a).flatten(), model.Encode(b).flatten(), steps, path);   // [steps, L]
        long[] latentShape = new[] { (long)steps }.Concat(model.LatentShape).ToArray();
        return model.Decode(codes.view(latentShape)).MoveToOuterDisposeScope();
    }

    /// <summary>Points on the path between two flat codes [L]: [steps, L].</summary>
    public static Tensor BetweenCodes(Tensor za, Tensor zb, int steps, InterpolationPath path)
    {
        using var scope = NewDisposeScope();
        Tensor t = linspace(0, 1, steps, dtype: za.dtype, device: za.device).unsqueeze(1);   // [steps, 1]
        if (path == InterpolationPath.Linear)
            return ((1 - t) * za + t * zb).MoveToOuterDisposeScope();
        double cosine = Math.Clamp((za.dot(zb) / (za.norm() * zb.norm() + 1e-12)).item<float>(), -1.0, 1.0);
        double omega = Math.Acos(cosine);
        if (omega < 1e-6)
            return ((1 - t) * za + t * zb).MoveToOuterDisposeScope();
        Tensor wa = ((1 - t) * omega).sin() / Math.Sin(omega);
        Tensor wb = (t * omega).sin() / Math.Sin(omega);
        return (wa * za + wb * zb).MoveToOuterDisposeScope();
    }
}
