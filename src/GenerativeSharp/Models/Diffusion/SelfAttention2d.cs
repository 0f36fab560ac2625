using GenerativeSharp.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Diffusion;

/// <summary>
/// Single-head self-attention over the positions of a feature map, with a residual connection (Ho et al. 2020,
/// arXiv:2006.11239, used at the 16x16 resolution; here at the U-Net's lowest): GroupNorm, q k v by one linear map per
/// position, softmax(q k^T / sqrt C) v, a linear projection.
/// </summary>
public sealed class SelfAttention2d : nn.Module<Tensor, Tensor>
{
    private readonly GroupNormalization norm;
    private readonly Linear qkv;
    private readonly Linear projection;

    public SelfAttention2d(long channels) : base(nameof(SelfAttention2d))
    {
        norm = new GroupNormalization(ResidualBlock.Groups(channels), channels);
        qkv = nn.Linear(channels, 3 * channels);
        projection = nn.Linear(channels, channels);
        RegisterComponents();
    }

    /// <summary>x [B, C, H, W] -> [B, C, H, W].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        Tensor tokens = norm.forward(x).flatten(2).transpose(1, 2);                    // [B, C, H, W] -> [B, HW, C]
        Tensor[] parts = qkv.forward(tokens).chunk(3, -1);                             // 3 x [B, HW, C]
        Tensor weights = (parts[0].matmul(parts[1].transpose(1, 2)) / Math.Sqrt(c)).softmax(-1);   // [B, HW, HW]
        Tensor mixed = projection.forward(weights.matmul(parts[2]));                  // [B, HW, C]
        return (x + mixed.transpose(1, 2).reshape(b, c, h, w)).MoveToOuterDisposeScope();   // [B, HW, C] -> [B, C, H, W]
    }
}
