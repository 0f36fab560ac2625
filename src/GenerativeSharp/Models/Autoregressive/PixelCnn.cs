using GenerativeSharp.Layers;
using GenerativeSharp.Models.Autoregressive.Pixels;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Autoregressive;

/// <summary>
/// PixelCNN: a 7x7 type-A masked convolution, residual blocks (1x1, masked 3x3 type B, 1x1), and a
/// two-layer 1x1 head emitting each pixel's likelihood parameters. Every path only looks up and
/// left, so p(x) = prod_ij p(x_ij | pixels before ij) is exact; the stacked masks leave a blind
/// spot to the upper right that <see cref="GatedPixelCnn"/> removes.
/// Reference: van den Oord, Kalchbrenner and Kavukcuoglu, "Pixel Recurrent Neural Networks", ICML 2016.
/// Its weights stay contiguous on a CPU: channels-last made its step about 10% slower (docs/performance.md).
/// </summary>
public sealed class PixelCnn : PixelAutoregressiveModel, Runtime.IKeepsContiguousConvolutions
{
    private readonly MaskedConv2d input;
    private readonly ModuleList<ResidualBlock> blocks;
    private readonly Convolution2d hidden;
    private readonly Convolution2d output;

    public PixelCnn(PixelCnnOptions options)
        : base(nameof(PixelCnn), options.EventShape, options.Likelihood, options.Mixtures, classes: 0)
    {
        options.Validate();
        Options = options;
        long wide = 2L * options.Channels;
        input = new MaskedConv2d(1, wide, 7, MaskType.A);
        blocks = new ModuleList<ResidualBlock>();
        for (int b = 0; b < options.Blocks; b++) blocks.Add(new ResidualBlock(options.Channels));
        hidden = new Convolution2d(wide, wide, 1);
        output = new Convolution2d(wide, Likelihood.ParametersPerPixel, 1);
        RegisterComponents();
    }

    public PixelCnnOptions Options { get; }

    public override Tensor PixelParameters(Tensor x, Tensor? labels = null)
    {
        CheckBatch(x, fullHeight: false);
        using var scope = NewDisposeScope();
        Tensor h = input.forward(x * 2 - 1);                                  // [B, 2h, rows, W]
        foreach (var block in blocks) h = block.forward(h);
        h = hidden.forward(nn.functional.relu(h));
        return output.forward(nn.functional.relu(h)).MoveToOuterDisposeScope();   // [B, P, rows, W]
    }

    /// <summary>relu, 1x1 (2h -> h), relu, masked 3x3 type B, relu, 1x1 (h -> 2h), plus the input.</summary>
    private sealed class ResidualBlock : nn.Module<Tensor, Tensor>
    {
        private readonly Convolution2d reduce;
        private readonly MaskedConv2d spatial;
        private readonly Convolution2d expand;

        public ResidualBlock(long channels) : base(nameof(ResidualBlock))
        {
            reduce = new Convolution2d(2 * channels, channels, 1);
            spatial = new MaskedConv2d(channels, channels, 3, MaskType.B);
            expand = new Convolution2d(channels, 2 * channels, 1);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            Tensor h = reduce.forward(nn.functional.relu(x));
            h = spatial.forward(nn.functional.relu(h));
            h = expand.forward(nn.functional.relu(h));
            return (x + h).MoveToOuterDisposeScope();
        }
    }
}
