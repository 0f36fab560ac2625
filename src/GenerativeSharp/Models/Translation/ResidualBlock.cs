using GenerativeSharp.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Translation;

/// <summary>
/// A residual block of CycleGAN's generator (He et al. 2016, as used by Johnson et al. 2016 and Zhu et al. 2017,
/// appendix 7.2, "R256"): x + [reflection-pad 1, 3x3 conv, instance norm, ReLU, reflection-pad 1, 3x3 conv,
/// instance norm](x), the channels and side unchanged.
/// </summary>
internal sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly Convolution2d first, second;
    private readonly InstanceNorm2d firstNorm, secondNorm;

    public ResidualBlock(long channels) : base(nameof(ResidualBlock))
    {
        first = new Convolution2d(channels, channels, 3);
        firstNorm = nn.InstanceNorm2d(channels);
        second = new Convolution2d(channels, channels, 3);
        secondNorm = nn.InstanceNorm2d(channels);
        RegisterComponents();
    }

    /// <summary>x [B, C, H, W] -> [B, C, H, W].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor h = nn.functional.relu(firstNorm.forward(first.forward(ReflectionPad(x, 1))));
        h = secondNorm.forward(second.forward(ReflectionPad(h, 1)));
        return (x + h).MoveToOuterDisposeScope();
    }

    /// <summary>[B, C, H, W] -> [B, C, H + 2 p, W + 2 p], mirrored at the borders (no border repeated).</summary>
    internal static Tensor ReflectionPad(Tensor x, long p) => nn.functional.pad(x, [p, p, p, p], PaddingModes.Reflect);
}
