using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Bijectors;

/// <summary>
/// Composition of bijectors, listed in the data -> latent order of <see cref="Inverse"/>:
/// Inverse applies them first to last, Forward last to first; log-dets add up.
/// </summary>
public sealed class Chain : Bijector
{
    private readonly ModuleList<Bijector> parts;

    public Chain(IEnumerable<Bijector> bijectors) : base(nameof(Chain))
    {
        parts = new ModuleList<Bijector>(bijectors.ToArray());
        if (parts.Count == 0) throw new ArgumentException("a chain needs at least one bijector.", nameof(bijectors));
        RegisterComponents();
    }

    /// <summary>The bijectors in data -> latent order.</summary>
    public IReadOnlyList<Bijector> Parts => parts.ToList();

    public override (Tensor Output, Tensor LogDet) Forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        Tensor x = z;
        Tensor logDet = ZeroLogDet(z);
        for (int i = parts.Count - 1; i >= 0; i--)
        {
            (x, Tensor part) = parts[i].Forward(x);
            logDet = logDet + part;
        }
        return (x.MoveToOuterDisposeScope(), logDet.MoveToOuterDisposeScope());
    }

    public override (Tensor Output, Tensor LogDet) Inverse(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor z = x;
        Tensor logDet = ZeroLogDet(x);
        foreach (Bijector part in parts)
        {
            (z, Tensor piece) = part.Inverse(z);
            logDet = logDet + piece;
        }
        return (z.MoveToOuterDisposeScope(), logDet.MoveToOuterDisposeScope());
    }

    public override long[] LatentShape(long[] dataShape) => parts.Aggregate(dataShape, (shape, part) => part.LatentShape(shape));
}
