namespace GenerativeSharp.Models.Autoregressive;

/// <summary>Options of a <see cref="Made"/>; defaults are the paper's one-hidden-layer MNIST model.</summary>
public sealed record MadeOptions
{
    /// <summary>Shape of one binary image [C, H, W]; its D = C*H*W pixels are the autoregressive variables.</summary>
    public long[] EventShape { get; init; } = [1, 28, 28];

    /// <summary>Width of every hidden layer.</summary>
    public int Hidden { get; init; } = 500;

    /// <summary>Hidden ReLU layers.</summary>
    public int Depth { get; init; } = 1;

    /// <summary>
    /// Masks (orderings plus hidden connectivity) used in turn during training: 1 is a plain MADE,
    /// more is connectivity-agnostic training, and the density is then the ensemble over all masks.
    /// </summary>
    public int Masks { get; init; } = 1;

    /// <summary>Seed of the masks: they are rebuilt from it, so a checkpoint needs only the options.</summary>
    public int MaskSeed { get; init; } = 0;

    /// <summary>Throws <see cref="InvalidInputException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (EventShape.Length == 0 || EventShape.Any(d => d <= 0))
            throw new InvalidInputException($"MADE event shape must be positive, got [{string.Join(", ", EventShape)}].");
        if (EventShape.Aggregate(1L, (a, b) => a * b) < 2)
            throw new InvalidInputException($"MADE needs at least 2 pixels, got [{string.Join(", ", EventShape)}].");
        if (Hidden < 1) throw new InvalidInputException($"hidden must be at least 1, got {Hidden}.");
        if (Depth < 1) throw new InvalidInputException($"depth must be at least 1, got {Depth}.");
        if (Masks < 1) throw new InvalidInputException($"masks must be at least 1, got {Masks}.");
        if (MaskSeed < 0) throw new InvalidInputException($"mask_seed must be at least 0, got {MaskSeed}.");
    }
}
