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
/// Colour images [3, H, W]: with the 256-way softmax every layer's feature maps are split into R, G
/// and B groups (<see cref="ChannelGroups"/>, section 3.4 of the paper), the 1x1 convolutions
/// becoming 1x1 masked type-B ones, so channel c's logits (head group c) see channels &lt; c of the
/// pixel itself; with the logistic mixture the network keeps the grey-scale masks on all three
/// input channels and sees no colour of the pixel itself (<see cref="ColourLogisticMixturePixels"/>).
/// A grey-scale model is built exactly as before colour existed (names, shapes, initialisation).
/// Reference: van den Oord, Kalchbrenner and Kavukcuoglu, "Pixel Recurrent Neural Networks", ICML 2016.
/// Its weights stay contiguous on a CPU: channels-last made its step about 10% slower (docs/performance.md).
/// </summary>
public sealed class PixelCnn : PixelAutoregressiveModel, Runtime.IKeepsContiguousConvolutions
{
    private readonly MaskedConv2d input;
    private readonly ModuleList<ResidualBlock> blocks;
    private readonly nn.Module<Tensor, Tensor> hidden;
    private readonly nn.Module<Tensor, Tensor> output;

    public PixelCnn(PixelCnnOptions options)
        : base(nameof(PixelCnn), options.EventShape, options.Likelihood, options.Mixtures, classes: 0)
    {
        options.Validate();
        Options = options;
        long wide = 2L * options.Channels, colours = options.EventShape[0];
        int groups = Likelihood.ColourGroups;
        input = groups == 1
            ? new MaskedConv2d(colours, wide, 7, MaskType.A)
            : new MaskedConv2d(colours, wide, 7, MaskType.A, ChannelGroups.Contiguous(colours, groups), ChannelGroups.Contiguous(wide, groups));
        blocks = new ModuleList<ResidualBlock>();
        for (int b = 0; b < options.Blocks; b++) blocks.Add(new ResidualBlock(options.Channels, groups));
        hidden = Pointwise(wide, wide, groups);
        output = Pointwise(wide, Likelihood.ParametersPerPixel, groups);
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

    /// <summary>
    /// A 1x1 convolution: plain without colour groups (as before colour existed), else masked type B
    /// over contiguous R, G, B groups of its inputs and outputs, so no colour reaches an earlier one.
    /// </summary>
    internal static nn.Module<Tensor, Tensor> Pointwise(long inputs, long outputs, int groups) => groups == 1
        ? new Convolution2d(inputs, outputs, 1)
        : new MaskedConv2d(inputs, outputs, 1, MaskType.B, ChannelGroups.Contiguous(inputs, groups), ChannelGroups.Contiguous(outputs, groups));

    /// <summary>relu, 1x1 (2h -> h), relu, masked 3x3 type B, relu, 1x1 (h -> 2h), plus the input.</summary>
    private sealed class ResidualBlock : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> reduce;
        private readonly MaskedConv2d spatial;
        private readonly nn.Module<Tensor, Tensor> expand;

        public ResidualBlock(long channels, int groups) : base(nameof(ResidualBlock))
        {
            reduce = Pointwise(2 * channels, channels, groups);
            spatial = groups == 1
                ? new MaskedConv2d(channels, channels, 3, MaskType.B)
                : new MaskedConv2d(channels, channels, 3, MaskType.B, ChannelGroups.Contiguous(channels, groups), ChannelGroups.Contiguous(channels, groups));
            expand = Pointwise(channels, 2 * channels, groups);
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
