using GenerativeSharp.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Autoregressive;

/// <summary>Which centre taps a masked convolution keeps.</summary>
public enum MaskType
{
    /// <summary>
    /// Excludes the centre pixel: the first layer, so pixel ij never sees itself (with colour groups,
    /// group g of the output sees only the colours &lt; g of pixel ij).
    /// </summary>
    A,

    /// <summary>
    /// Includes the centre: later layers, whose centre feature already excludes pixel ij (with colour
    /// groups, output group g reads input groups &lt;= g there).
    /// </summary>
    B,
}

/// <summary>
/// A k x k "same" convolution (k odd) whose kernel is zero below the centre row and right of the
/// centre in the centre row (type A also zeroes the centre): output ij sees only input pixels
/// before ij in raster order. Without colour groups (grey-scale, or a colour model whose outputs
/// need no current-pixel colour) the centre tap is open or shut for all maps at once; with colour
/// groups (<see cref="ChannelGroups"/>) the centre tap connects output group g to input groups
/// &lt; g (type A) or &lt;= g (type B), so a 1x1 masked convolution is the group-respecting
/// pointwise layer. A rectangular kernel with its own centre and padding serves the horizontal
/// stack of <see cref="GatedPixelCnnLayer"/>.
/// Reference: van den Oord, Kalchbrenner and Kavukcuoglu, "Pixel Recurrent Neural Networks", ICML 2016, section 3.4.
/// </summary>
public sealed class MaskedConv2d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;     // [out, in, kH, kW]
    private readonly Parameter bias;       // [out]
    private Tensor mask;                   // [1, 1, k, k] without colour groups, else [out, in, kH, kW]
    private readonly long[] padding;

    /// <summary>
    /// A square "same" masked convolution; <paramref name="inputGroups"/> [in] and
    /// <paramref name="outputGroups"/> [out] give the colour group of every map (null: no groups).
    /// </summary>
    public MaskedConv2d(long inputs, long outputs, long kernel, MaskType type, int[]? inputGroups = null, int[]? outputGroups = null)
        : this(inputs, outputs, (Odd(kernel), kernel), (kernel / 2, kernel / 2), (kernel / 2, kernel / 2), type, inputGroups, outputGroups)
    {
    }

    /// <summary>A masked convolution with the centre tap at <paramref name="centre"/> and the given zero padding.</summary>
    public MaskedConv2d(long inputs, long outputs, (long Height, long Width) kernel, (long Row, long Column) centre, (long Height, long Width) padding,
        MaskType type, int[]? inputGroups = null, int[]? outputGroups = null) : base(nameof(MaskedConv2d))
    {
        if ((inputGroups is null) != (outputGroups is null) || (inputGroups is not null && (inputGroups.Length != inputs || outputGroups!.Length != outputs)))
            throw new ArgumentException($"colour groups must be given for all {inputs} inputs and {outputs} outputs, or not at all.");
        this.padding = [padding.Height, padding.Width];
        double bound = 1.0 / Math.Sqrt(inputs * kernel.Height * kernel.Width);     // nn.Conv2d's default init bound
        weight = nn.Parameter((rand(outputs, inputs, kernel.Height, kernel.Width) * 2 - 1) * bound);
        bias = nn.Parameter((rand(outputs) * 2 - 1) * bound);
        mask = inputGroups is null
            ? tensor(ChannelGroups.KernelMask([0], [0], kernel.Height, kernel.Width, centre.Row, centre.Column, type), [1, 1, kernel.Height, kernel.Width])
            : tensor(ChannelGroups.KernelMask(outputGroups!, inputGroups, kernel.Height, kernel.Width, centre.Row, centre.Column, type),
                [outputs, inputs, kernel.Height, kernel.Width]);
        register_parameter(nameof(weight), weight);
        register_parameter(nameof(bias), bias);
        register_buffer(nameof(mask), mask, persistent: false);
    }

    private static long Odd(long kernel) =>
        kernel >= 1 && kernel % 2 == 1 ? kernel : throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "the kernel size must be odd");

    public override Tensor forward(Tensor x)
    {
        if (mask.device_type != weight.device_type || mask.device_index != weight.device_index)
        {
            // Module.to() in TorchSharp 0.107 moves only persistent buffers: the mask follows the weight here.
            Tensor moved = mask.to(weight.device).DetachFromDisposeScope();
            mask.Dispose();
            mask = moved;
        }
        using var masked = weight * mask;
        return ChannelPaddedConvolution.Conv2d(x, masked, bias, [1, 1], padding);
    }
}
