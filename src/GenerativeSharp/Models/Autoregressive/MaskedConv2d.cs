using GenerativeSharp.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Autoregressive;

/// <summary>Which centre taps a masked convolution keeps.</summary>
public enum MaskType
{
    /// <summary>Excludes the centre pixel: the first layer, so pixel ij never sees itself.</summary>
    A,

    /// <summary>Includes the centre: later layers, whose centre feature already excludes pixel ij.</summary>
    B,
}

/// <summary>
/// A k x k "same" convolution (k odd) whose kernel is zero below the centre row and right of the
/// centre in the centre row (type A also zeroes the centre): output ij sees only input pixels
/// before ij in raster order. Grayscale input, so there is no channel-group masking.
/// Reference: van den Oord, Kalchbrenner and Kavukcuoglu, "Pixel Recurrent Neural Networks", ICML 2016, section 3.4.
/// </summary>
public sealed class MaskedConv2d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;     // [out, in, k, k]
    private readonly Parameter bias;       // [out]
    private Tensor mask;                   // [1, 1, k, k]
    private readonly long padding;

    public MaskedConv2d(long inputs, long outputs, long kernel, MaskType type) : base(nameof(MaskedConv2d))
    {
        if (kernel < 1 || kernel % 2 == 0) throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "the kernel size must be odd");
        padding = kernel / 2;
        double bound = 1.0 / Math.Sqrt(inputs * kernel * kernel);       // nn.Conv2d's default init bound
        weight = nn.Parameter((rand(outputs, inputs, kernel, kernel) * 2 - 1) * bound);
        bias = nn.Parameter((rand(outputs) * 2 - 1) * bound);
        mask = tensor(KernelMask(kernel, type), [1, 1, kernel, kernel]);
        register_parameter(nameof(weight), weight);
        register_parameter(nameof(bias), bias);
        register_buffer(nameof(mask), mask, persistent: false);
    }

    /// <summary>1 for the taps a pixel may see: rows above the centre, and the centre row left of (type B: up to) the centre.</summary>
    private static float[] KernelMask(long kernel, MaskType type)
    {
        long centre = kernel / 2;
        var mask = new float[kernel * kernel];
        for (long row = 0; row < kernel; row++)
            for (long column = 0; column < kernel; column++)
                mask[row * kernel + column] = row < centre || (row == centre && (column < centre || (type == MaskType.B && column == centre))) ? 1f : 0f;
        return mask;
    }

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
        return ChannelPaddedConvolution.Conv2d(x, masked, bias, [1, 1], [padding, padding]);
    }
}
