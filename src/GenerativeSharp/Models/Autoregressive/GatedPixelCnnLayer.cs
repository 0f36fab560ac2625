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
/// </summary>
public sealed class GatedPixelCnnLayer : nn.Module
{
    private readonly Convolution2d vertical;            // (c+1) x k, in -> 2p
    private readonly Convolution2d horizontal;          // 1 x (c+1), in -> 2p
    private readonly Convolution2d link;                // 1x1, 2p -> 2p: vertical into horizontal
    private readonly Convolution2d horizontalOut;       // 1x1, p -> p
    private readonly Embedding? classBias;         // classes -> 4p: the gates' class terms, vertical then horizontal
    private readonly long reach;                   // c
    private readonly long channels;                // p
    private readonly bool first;

    public GatedPixelCnnLayer(long inputs, long channels, long kernel, bool first, int classes) : base(nameof(GatedPixelCnnLayer))
    {
        if (kernel < 1 || kernel % 2 == 0) throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "the kernel size must be odd");
        reach = kernel / 2;
        this.channels = channels;
        this.first = first;
        vertical = new Convolution2d(inputs, 2 * channels, (reach + 1, kernel));
        horizontal = new Convolution2d(inputs, 2 * channels, (1, reach + 1));
        link = new Convolution2d(2 * channels, 2 * channels, 1);
        horizontalOut = new Convolution2d(channels, channels, 1);
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
        Tensor horizontalSource = first ? nn.functional.pad(horizontalIn, [1, 0, 0, 0]).narrow(3, 0, width) : horizontalIn;
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
