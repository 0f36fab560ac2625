using GenerativeSharp.Runtime;
using TorchSharp;

namespace GenerativeSharp.Data;

/// <summary>
/// Bernoulli binarization of grey-scale intensities for models of binary data (docs/evaluation.md):
/// training images are re-drawn every epoch (<see cref="Sample"/> with the trainer's generator);
/// the test set is drawn once with <see cref="StaticSeed"/> (<see cref="Static"/>), so every model
/// is scored on the same bits.
/// </summary>
public static class Binarization
{
    /// <summary>The fixed seed of static binarization: the same test bits for every model and run.</summary>
    public const long StaticSeed = 20240607;

    /// <summary>
    /// Each value becomes 1 with probability equal to its intensity, else 0: float32 of the same shape.
    /// </summary>
    /// <exception cref="ArgumentException">The intensities are not floating point or lie outside [0, 1].</exception>
    public static torch.Tensor Sample(torch.Tensor intensities, torch.Generator generator)
    {
        ArgumentNullException.ThrowIfNull(intensities);
        ArgumentNullException.ThrowIfNull(generator);
        if (!intensities.is_floating_point())
        {
            throw new ArgumentException($"intensities must be floating point, got {intensities.dtype}", nameof(intensities));
        }

        using var scope = torch.NewDisposeScope();
        if (intensities.numel() > 0)
        {
            double min = intensities.min().to(torch.float64).item<double>();
            double max = intensities.max().to(torch.float64).item<double>();
            if (!(min >= 0 && max <= 1))
            {
                throw new ArgumentException($"intensities must lie in [0, 1], found values in [{min}, {max}]", nameof(intensities));
            }
        }

        // u ~ U[0, 1): P(u < p) = p, so p = 0 never fires and p = 1 always does.
        torch.Tensor u = SeededRandom.Uniform(intensities.shape, torch.float32, intensities.device, generator);
        return u.lt(intensities).to(torch.float32).MoveToOuterDisposeScope();
    }

    /// <summary><see cref="Sample"/> with a new generator seeded by <see cref="StaticSeed"/>.</summary>
    public static torch.Tensor Static(torch.Tensor intensities)
    {
        using var generator = new torch.Generator((ulong)StaticSeed);
        return Sample(intensities, generator);
    }

    /// <summary>Parses "none", "dynamic" or "static" (case-insensitive).</summary>
    /// <exception cref="InvalidInputException">Any other text.</exception>
    public static BinarizationMode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToLowerInvariant() switch
        {
            "none" => BinarizationMode.None,
            "dynamic" => BinarizationMode.Dynamic,
            "static" => BinarizationMode.Static,
            _ => throw new InvalidInputException($"unknown binarization '{text}': expected none, dynamic or static"),
        };
    }
}
