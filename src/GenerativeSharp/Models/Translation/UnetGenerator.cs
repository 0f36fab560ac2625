using GenerativeSharp.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Translation;

/// <summary>
/// The pix2pix generator, a U-Net (Ronneberger et al. 2015, as used by Isola et al. 2017, section 3.2.1 and
/// appendix 6.1.1): an encoder of D = log2(S) stride-2 4x4 convolutions (S -> 1: 5 at 32 px, 6 at 64 px)
/// with ngf, 2 ngf, 4 ngf, then 8 ngf channels, each Conv-BatchNorm-LeakyReLU(0.2), and a decoder of D
/// stride-2 4x4 transposed convolutions, each ConvTranspose-BatchNorm-(Dropout 0.5)-ReLU, whose every
/// output is concatenated with the encoder feature of the same side (the skips that carry detail past
/// the bottleneck); a final transposed convolution to the target's channels and tanh. As in the paper,
/// the first encoder layer has no batch norm; the 1 x 1 bottleneck has none either (as in the authors'
/// code: it is a single value per channel). Dropout (<see cref="PaperNoise"/>) is on in the first
/// <see cref="Pix2PixOptions.DropoutBlocks"/> decoder blocks, at test time too.
/// Activations come before each convolution here (LeakyReLU / ReLU of the previous feature), which is the
/// same network arranged so that the skips carry the pre-activation features.
/// A side S that is not a power of two is padded by reflection to the next one, P, and the output cropped back to S
/// (28 -> 32 -> 28 for Fashion-MNIST): the U-Net's halvings need a power of two.
/// </summary>
internal sealed class UnetGenerator : nn.Module
{
    private readonly ModuleList<Convolution2d> downs = new();
    private readonly ModuleList<BatchNorm2d> downNorms = new();
    private readonly ModuleList<TransposedConvolution2d> ups = new();
    private readonly ModuleList<BatchNorm2d> upNorms = new();
    private readonly int depth;
    private readonly int dropoutBlocks;
    private readonly long side;
    private readonly long paddedSide;

    public UnetGenerator(Pix2PixOptions options) : base(nameof(UnetGenerator))
    {
        depth = options.Depth;
        dropoutBlocks = options.DropoutBlocks;
        side = options.Side;
        paddedSide = options.PaddedSide;
        long[] width = [.. Enumerable.Range(0, depth).Select(i => (long)options.GeneratorWidth << Math.Min(i, 3))];   // channels of f_1 .. f_D
        long channels = options.InputShape[0];
        for (int i = 0; i < depth; i++)
        {
            downs.Add(new Convolution2d(channels, width[i], 4, stride: 2, padding: 1));
            if (i > 0 && i < depth - 1) downNorms.Add(nn.BatchNorm2d(width[i]));            // not the first layer, not the 1 x 1 bottleneck
            channels = width[i];
        }
        // Decoder block j (j = 0 from the bottleneck) maps to the side and channels of f_{D-1-j}; its input is the bottleneck
        // (j = 0) or the previous block's output concatenated with its skip.
        for (int j = 0; j < depth - 1; j++)
        {
            long inputs = j == 0 ? width[depth - 1] : 2 * width[depth - 1 - j];
            long outputs = width[depth - 2 - j];
            ups.Add(new TransposedConvolution2d(inputs, outputs, 4, stride: 2, padding: 1));
            upNorms.Add(nn.BatchNorm2d(outputs));
        }
        ups.Add(new TransposedConvolution2d(2 * width[0], options.TargetShape[0], 4, stride: 2, padding: 1));
        RegisterComponents();
    }

    /// <summary>x [B, C_in, S, S] in [-1, 1] -> [B, C_out, S, S] in (-1, 1); dropout noise from <paramref name="generator"/>.</summary>
    public Tensor Forward(Tensor x, Generator? generator)
    {
        using var scope = NewDisposeScope();
        var features = new List<Tensor>(depth);                                          // f_1 [B, ngf, P/2, P/2] .. f_D [B, 8 ngf, 1, 1]
        long before = (paddedSide - side) / 2, after = paddedSide - side - before;
        Tensor h = before + after == 0 ? x : nn.functional.pad(x, [before, after, before, after], PaddingModes.Reflect);   // [B, C_in, P, P]
        for (int i = 0; i < depth; i++)
        {
            h = downs[i].forward(i == 0 ? h : nn.functional.leaky_relu(h, 0.2));       // side / 2
            if (i > 0 && i < depth - 1) h = downNorms[i - 1].forward(h);
            features.Add(h);
        }
        for (int j = 0; j < depth - 1; j++)
        {
            Tensor u = upNorms[j].forward(ups[j].forward(nn.functional.relu(h)));       // side x 2
            if (j < dropoutBlocks) u = PaperNoise.Dropout(u, generator);
            h = cat([u, features[depth - 2 - j]], 1);                                    // [B, 2 width, s, s]: the skip
        }
        Tensor y = ups[depth - 1].forward(nn.functional.relu(h)).tanh();                  // [B, C_out, P, P]
        if (before + after > 0) y = y.narrow(2, before, side).narrow(3, before, side);   // [B, C_out, S, S]
        return y.MoveToOuterDisposeScope();
    }
}
