using GenerativeSharp.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Autoregressive;

/// <summary>
/// One layer of a <see cref="GatedPixelCnn"/>, built from unmasked convolutions on shifted, padded
/// inputs. With c = k / 2: the vertical convolution is (c+1) x k over the rows i-c..i, so its output
/// at row i sees rows up to i; the link to the horizontal stack takes it shifted down one row (rows
/// up to i-1 only). The horizontal convolution is 1 x (c+1) over columns j-c..j; in the first
/// layer its input is the image shifted right one column, so pixel ij never sees itself.
/// With colour groups (RGB and the 256-way softmax, <see cref="ChannelGroups"/>) the horizontal
/// stack splits its feature maps by colour, as the paper's horizontal masks do: the first layer is
/// not shifted, its 1 x (c+1) convolution masking the centre tap (column j) type A by group, later
/// layers type B, and the 1x1 output convolution is masked type B; the gate's two halves are grouped
/// alike (<see cref="ChannelGroups.GateHalves"/>), so gated map k keeps its group. The vertical stack
/// and the link need no colour masks: the vertical stack enters the horizontal one only shifted
/// down a row, and rows above i hold no colour of pixel ij.
/// Reference: van den Oord et al., "Conditional Image Generation with PixelCNN Decoders", NeurIPS 2016, section 2.1.
/// </summary>
public sealed class GatedPixelCnnLayer : nn.Module
{
    private readonly Convolution2d vertical;                // (c+1) x k, in -> 2p
    private readonly nn.Module<Tensor, Tensor> horizontal;  // 1 x (c+1), in -> 2p (masked at column j with colour groups)
    private readonly Convolution2d link;                    // 1x1, 2p -> 2p: vertical into horizontal
    private readonly nn.Module<Tensor, Tensor> horizontalOut;   // 1x1, p -> p (masked type B with colour groups)
    private readonly Embedding? classBias;         // classes -> 4p: the gates' class terms, vertical then horizontal
    private readonly long reach;                   // c
    private readonly long channels;                // p
    private readonly bool first;
    private readonly bool shiftFirst;              // grey-scale first layer: the horizontal input moves right one column

    /// <summary>A gated layer; <paramref name="groups"/> colour groups (1: none; 3: RGB, see <see cref="ChannelGroups"/>).</summary>
    public GatedPixelCnnLayer(long inputs, long channels, long kernel, bool first, int classes, int groups = 1) : base(nameof(GatedPixelCnnLayer))
    {
        if (kernel < 1 || kernel % 2 == 0) throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "the kernel size must be odd");
        reach = kernel / 2;
        this.channels = channels;
        this.first = first;
        shiftFirst = first && groups == 1;
        vertical = new Convolution2d(inputs, 2 * channels, (reach + 1, kernel));
        horizontal = groups == 1
            ? new Convolution2d(inputs, 2 * channels, (1, reach + 1))
            : new MaskedConv2d(inputs, 2 * channels, (1, reach + 1), (0, reach), (0, 0), first ? MaskType.A : MaskType.B,
                ChannelGroups.Contiguous(inputs, groups), ChannelGroups.GateHalves(2 * channels, groups));
        link = new Convolution2d(2 * channels, 2 * channels, 1);
        horizontalOut = PixelCnn.Pointwise(channels, channels, groups);
        if (classes > 0)
        {
            classBias = nn.Embedding(classes, 4 * channels);
            using (no_grad()) classBias.weight!.zero_();                       // start as the unconditional model
        }
        RegisterComponents();
    }

    /// <summary>(vertical [B, in, rows, W], horizontal [B, in, rows, W], labels [B] or null) -> both stacks [B, p, rows, W].</summary>
    public (Tensor Vertical, Tensor Horizontal) forward(Tensor verticalIn, Tensor horizontalIn, Tensor? labels)
    {
        using var scope = NewDisposeScope();
        long rows = verticalIn.shape[2], width = verticalIn.shape[3];
        Tensor verticalRaw = vertical.forward(nn.functional.pad(verticalIn, [reach, reach, reach, 0]));   // [B, 2p, rows, W]
        Tensor shiftedDown = nn.functional.pad(verticalRaw, [0, 0, 1, 0]).narrow(2, 0, rows);             // row i holds row i-1
        Tensor horizontalSource = shiftFirst ? nn.functional.pad(horizontalIn, [1, 0, 0, 0]).narrow(3, 0, width) : horizontalIn;
        Tensor horizontalRaw = horizontal.forward(nn.functional.pad(horizontalSource, [reach, 0, 0, 0]))  // [B, 2p, rows, W]
            + link.forward(shiftedDown);
        if (classBias is not null && labels is not null)
        {
            Tensor[] bias = classBias.forward(labels).view(-1, 4 * channels, 1, 1).chunk(2, 1);          // 2 x [B, 2p, 1, 1]
            verticalRaw = verticalRaw + bias[0];
            horizontalRaw = horizontalRaw + bias[1];
        }
        Tensor verticalOut = Gate(verticalRaw);
        Tensor horizontalOutput = horizontalOut.forward(Gate(horizontalRaw));
        if (!first) horizontalOutput = horizontalOutput + horizontalIn;
        return (verticalOut.MoveToOuterDisposeScope(), horizontalOutput.MoveToOuterDisposeScope());
    }

    /// <summary>tanh(first half) * sigmoid(second half) over channels: [B, 2p, ...] -> [B, p, ...].</summary>
    private static Tensor Gate(Tensor raw)
    {
        Tensor[] halves = raw.chunk(2, 1);
        return halves[0].tanh() * halves[1].sigmoid();
    }
}
