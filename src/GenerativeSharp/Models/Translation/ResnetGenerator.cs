using GenerativeSharp.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Translation;

/// <summary>
/// CycleGAN's generator (Zhu et al. 2017, appendix 7.2, after Johnson et al. 2016, "Perceptual Losses for
/// Real-Time Style Transfer"): c7s1-ngf, d-2ngf, d-4ngf, n residual blocks R-4ngf, u-2ngf, u-ngf, c7s1-C_out.
/// c7s1-k is a reflection-padded 7x7 stride-1 convolution with k filters, instance norm and ReLU; d-k a 3x3
/// stride-2 convolution (S -> S/2), instance norm, ReLU; R-k a <see cref="ResidualBlock"/>; u-k a 3x3 stride-1/2
/// (transposed, output padding 1: S -> 2 S) convolution, instance norm, ReLU. The last c7s1 has no norm and ends
/// in tanh. Instance norm has no affine parameters and uses each image's own statistics, in training and at test.
/// </summary>
internal sealed class ResnetGenerator : nn.Module<Tensor, Tensor>
{
    private readonly Convolution2d stem, down1, down2, head;
    private readonly TransposedConvolution2d up1, up2;
    private readonly ModuleList<InstanceNorm2d> norms = new();
    private readonly ModuleList<ResidualBlock> blocks = new();

    public ResnetGenerator(long inputChannels, long outputChannels, int width, int residualBlocks) : base(nameof(ResnetGenerator))
    {
        long w = width;
        stem = new Convolution2d(inputChannels, w, 7);
        down1 = new Convolution2d(w, 2 * w, 3, stride: 2, padding: 1);
        down2 = new Convolution2d(2 * w, 4 * w, 3, stride: 2, padding: 1);
        for (int i = 0; i < residualBlocks; i++) blocks.Add(new ResidualBlock(4 * w));
        up1 = new TransposedConvolution2d(4 * w, 2 * w, 3, stride: 2, padding: 1, outputPadding: 1);
        up2 = new TransposedConvolution2d(2 * w, w, 3, stride: 2, padding: 1, outputPadding: 1);
        head = new Convolution2d(w, outputChannels, 7);
        foreach (long c in new[] { w, 2 * w, 4 * w, 2 * w, w }) norms.Add(nn.InstanceNorm2d(c));
        RegisterComponents();
    }

    /// <summary>x [B, C_in, S, S] in [-1, 1] -> [B, C_out, S, S] in (-1, 1).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor h = nn.functional.relu(norms[0].forward(stem.forward(ResidualBlock.ReflectionPad(x, 3))));   // [B, ngf, S, S]
        h = nn.functional.relu(norms[1].forward(down1.forward(h)));                                     // [B, 2 ngf, S/2, S/2]
        h = nn.functional.relu(norms[2].forward(down2.forward(h)));                                     // [B, 4 ngf, S/4, S/4]
        foreach (ResidualBlock block in blocks) h = block.forward(h);
        h = nn.functional.relu(norms[3].forward(up1.forward(h)));                                       // [B, 2 ngf, S/2, S/2]
        h = nn.functional.relu(norms[4].forward(up2.forward(h)));                                       // [B, ngf, S, S]
        return head.forward(ResidualBlock.ReflectionPad(h, 3)).tanh().MoveToOuterDisposeScope();        // [B, C_out, S, S]
    }
}
