namespace GenerativeSharp.Models.Autoregressive;

/// <summary>Options of a <see cref="Nade"/>; defaults are the paper's MNIST model (500 hidden units).</summary>
public sealed record NadeOptions
{
    /// <summary>Shape of one binary image [C, H, W]; its D = C*H*W pixels are modelled in raster order.</summary>
    public long[] EventShape { get; init; } = [1, 28, 28];

    /// <summary>Hidden units H shared by all D conditionals.</summary>
    public int Hidden { get; init; } = 500;

    /// <summary>Throws <see cref="InvalidInputException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (EventShape.Length == 0 || EventShape.Any(d => d <= 0))
            throw new InvalidInputException($"NADE event shape must be positive, got [{string.Join(", ", EventShape)}].");
        if (Hidden < 1) throw new InvalidInputException($"hidden must be at least 1, got {Hidden}.");
    }
}
