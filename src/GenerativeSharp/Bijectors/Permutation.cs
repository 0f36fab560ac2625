using static TorchSharp.torch;

namespace GenerativeSharp.Bijectors;

/// <summary>
/// A fixed permutation of dimension 1 (features of vectors, channels of images): the data's
/// feature <c>order[i]</c> becomes latent feature i. Volume preserving. <see cref="Reverse"/> is the
/// usual choice between coupling or autoregressive layers (Papamakarios et al. 2017, section 3.2).
/// </summary>
public sealed class Permutation : Bijector
{
    private readonly Tensor order;     // [C] int64: latent i <- data order[i]
    private readonly Tensor inverse;   // [C] int64: data j <- latent inverse[j]

    public Permutation(long[] order) : base(nameof(Permutation))
    {
        if (!order.OrderBy(i => i).SequenceEqual(Enumerable.Range(0, order.Length).Select(i => (long)i)))
            throw new ArgumentException($"not a permutation of 0..{order.Length - 1}: [{string.Join(", ", order)}].", nameof(order));
        var back = new long[order.Length];
        for (int i = 0; i < order.Length; i++) back[order[i]] = i;
        this.order = tensor(order);
        inverse = tensor(back);
        RegisterComponents();
    }

    /// <summary>Reverses the <paramref name="size"/> entries of dimension 1.</summary>
    public static Permutation Reverse(long size) => new(Enumerable.Range(0, checked((int)size)).Select(i => size - 1 - i).ToArray());

    public override (Tensor Output, Tensor LogDet) Forward(Tensor z) => (z.index_select(1, inverse), ZeroLogDet(z));

    public override (Tensor Output, Tensor LogDet) Inverse(Tensor x) => (x.index_select(1, order), ZeroLogDet(x));
}
