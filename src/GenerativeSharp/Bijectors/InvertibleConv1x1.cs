using GenerativeSharp.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Bijectors;

/// <summary>
/// Invertible 1x1 convolution with an LU-parameterised weight (Kingma and Dhariwal 2018, "Glow",
/// arXiv:1807.03039, section 3.2, eq. 10): W = P L (U + diag(sign(s) exp(log |s|))) with a fixed
/// permutation P, unit lower-triangular L and strictly upper-triangular U, so log |det W| = sum log |s|
/// costs O(C). Data -> latent is z = W x at every pixel; latent -> data uses W^-1. P starts as a
/// random permutation (drawn from the global RNG when built) and L, U, log |s| at the identity.
/// Works on vectors [B, C] (an invertible linear map) and images [B, C, H, W].
/// </summary>
public sealed class InvertibleConv1x1 : Bijector
{
    private readonly Parameter lower;      // [C, C], strictly lower part used
    private readonly Parameter upper;      // [C, C], strictly upper part used
    private readonly Parameter logAbsS;    // [C]
    private readonly Tensor permutation;   // [C, C] fixed permutation matrix, saved with the model
    private readonly Tensor signS;         // [C] fixed signs of s

    public InvertibleConv1x1(long channels) : base(nameof(InvertibleConv1x1))
    {
        lower = nn.Parameter(zeros(channels, channels));
        upper = nn.Parameter(zeros(channels, channels));
        logAbsS = nn.Parameter(zeros(channels));
        using (var order = randperm(channels, device: CPU))
            permutation = eye(channels, device: CPU).index_select(0, order);   // made on the CPU (also when sizing a model on the meta device)
        signS = ones(channels);
        RegisterComponents();
    }

    /// <summary>W [C, C] (data -> latent).</summary>
    public Tensor Weight()
    {
        using var scope = NewDisposeScope();
        long c = logAbsS.shape[0];
        Tensor l = lower.tril(-1) + eye(c, dtype: lower.dtype, device: lower.device);
        Tensor u = upper.triu(1) + diag(signS * logAbsS.exp());
        return permutation.matmul(l).matmul(u).MoveToOuterDisposeScope();
    }

    public override (Tensor Output, Tensor LogDet) Forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        Tensor x = Apply(z, linalg.inv(Weight()));
        return (x.MoveToOuterDisposeScope(), LogDet(z).MoveToOuterDisposeScope());
    }

    public override (Tensor Output, Tensor LogDet) Inverse(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor z = Apply(x, Weight());
        return (z.MoveToOuterDisposeScope(), (-LogDet(x)).MoveToOuterDisposeScope());
    }

    /// <summary>Multiplies every channel vector by <paramref name="w"/> [C, C].</summary>
    private static Tensor Apply(Tensor t, Tensor w) => t.dim() == 2
        ? nn.functional.linear(t, w)                                          // [B, C]
        : ChannelPaddedConvolution.Conv2d(t, w.view(w.shape[0], w.shape[1], 1, 1), null, [1, 1], [0, 0]);   // [B, C, H, W]

    /// <summary>log |det dx/dz| = -(H W) sum log |s| for every example: [B].</summary>
    private Tensor LogDet(Tensor z)
    {
        long positions = z.dim() > 2 ? z.shape.Skip(2).Aggregate(1L, (a, b) => a * b) : 1;
        return (-logAbsS.sum() * positions).expand(z.shape[0]);
    }
}
