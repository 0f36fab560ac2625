using GenerativeSharp.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Diffusion;

/// <summary>
/// The U-Net's residual block (Ho et al. 2020, arXiv:2006.11239, after the Wide ResNet): GroupNorm-SiLU-conv3x3, plus a
/// projection of the time embedding per channel, GroupNorm-SiLU-conv3x3, added to the input (through a 1x1 convolution
/// when the width changes). Convolutions are <see cref="Convolution2d"/>, right on every CPU.
/// </summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly GroupNormalization norm1;
    private readonly Convolution2d conv1;
    private readonly Linear time;
    private readonly GroupNormalization norm2;
    private readonly Convolution2d conv2;
    private readonly Convolution2d? shortcut;

    public ResidualBlock(long inputs, long outputs, long timeWidth) : base(nameof(ResidualBlock))
    {
        norm1 = new GroupNormalization(Groups(inputs), inputs);
        conv1 = new Convolution2d(inputs, outputs, 3, padding: 1);
        time = nn.Linear(timeWidth, outputs);
        norm2 = new GroupNormalization(Groups(outputs), outputs);
        conv2 = new Convolution2d(outputs, outputs, 3, padding: 1);
        shortcut = inputs == outputs ? null : new Convolution2d(inputs, outputs, 1);
        RegisterComponents();
    }

    /// <summary>x [B, Cin, H, W], time embedding [B, E] -> [B, Cout, H, W].</summary>
    public override Tensor forward(Tensor x, Tensor embedding)
    {
        using var scope = NewDisposeScope();
        Tensor h = conv1.forward(nn.functional.silu(norm1.forward(x)));
        h = h + time.forward(nn.functional.silu(embedding)).unsqueeze(-1).unsqueeze(-1);   // [B, Cout] -> [B, Cout, 1, 1]
        h = conv2.forward(nn.functional.silu(norm2.forward(h)));
        return (h + (shortcut?.forward(x) ?? x)).MoveToOuterDisposeScope();
    }

    /// <summary>Groups of group normalisation: 8 when the channels divide by 8 (32 at 256+ channels), else fewer.</summary>
    public static long Groups(long channels) =>
        channels % 32 == 0 && channels >= 256 ? 32 : new long[] { 8, 4, 2, 1 }.First(g => channels % g == 0);
}
