using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Layers;

/// <summary>
/// 2-D convolutions that, on a CPU, hand libtorch's oneDNN kernels only channel counts that are
/// multiples of 16. oneDNN stores channels in blocks of 16 (8 on AVX2) and pads the last block; on
/// at least one AMD EPYC (Zen 5) the backward pass of libtorch 2.10's oneDNN convolution read that
/// padding wrongly whenever the output channels were not a whole number of blocks (input gradients off
/// by 30% or NaN for 6->4, 3->6, 64->4 and 64->8 channels; right for 16->16, 32->64, 64->128, 1->32),
/// while other CPUs compute the same shapes correctly. So a convolution whose output channels are not a
/// multiple of 16 runs here with zero filters appended up to the next multiple (and, transposed, with
/// zero input channels too), and the extra outputs are sliced away: the result and its gradients are
/// the same function, and no padded block reaches oneDNN. On CUDA, in float64 (which libtorch computes
/// without oneDNN) and when <see cref="EnvironmentVariable"/> is "off", it is the plain convolution.
/// The cost, measured with <c>gensharp bench</c>, is in docs/performance.md.
/// </summary>
public static class ChannelPaddedConvolution
{
    /// <summary>The environment variable that switches the padding off ("off"), for A/B measurements only.</summary>
    public const string EnvironmentVariable = "GENSHARP_CONV_CHANNEL_PADDING";

    /// <summary>The channel block every convolution on a CPU is widened to.</summary>
    public const long Block = 16;

    private static readonly bool SwitchedOff =
        string.Equals(Environment.GetEnvironmentVariable(EnvironmentVariable), "off", StringComparison.OrdinalIgnoreCase);   // read once, at first use

    /// <summary>Whether a convolution on <paramref name="device"/> in <paramref name="dtype"/> pads its channels.</summary>
    public static bool Applies(Device device, ScalarType dtype) =>
        !SwitchedOff && device.type == DeviceType.CPU && dtype is ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16;

    /// <summary>
    /// nn.functional.conv2d with groups 1: x [B, I, H, W], weight [O, I, kH, kW], bias [O] or null ->
    /// [B, O, H', W'].
    /// </summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, long[] stride, long[] padding)
    {
        long outputs = weight.shape[0];
        long extra = Widening(outputs);
        if (extra == 0 || !Applies(x.device, x.dtype))
            return nn.functional.conv2d(x, weight, bias, strides: stride, padding: padding);
        using var scope = NewDisposeScope();
        Tensor widened = AppendZeros(weight, 0, extra);                               // [O + extra, I, kH, kW]
        Tensor? widenedBias = bias is null ? null : AppendZeros(bias, 0, extra);      // [O + extra]
        return nn.functional.conv2d(x, widened, widenedBias, strides: stride, padding: padding)
            .narrow(1, 0, outputs)                                                    // [B, O + extra, ...] -> [B, O, ...]
            .MoveToOuterDisposeScope();
    }

    /// <summary>
    /// nn.functional.conv_transpose2d with groups 1: x [B, I, H, W], weight [I, O, kH, kW], bias [O] or
    /// null -> [B, O, H', W']. Both channel counts are widened: oneDNN runs a transposed convolution
    /// as the backward pass of a convolution whose output channels are I.
    /// </summary>
    public static Tensor ConvTranspose2d(Tensor x, Tensor weight, Tensor? bias, long[] stride, long[] padding, long[] outputPadding)
    {
        long inputs = weight.shape[0], outputs = weight.shape[1];
        long extraIn = Widening(inputs), extraOut = Widening(outputs);
        if (extraIn + extraOut == 0 || !Applies(x.device, x.dtype))
            return nn.functional.conv_transpose2d(x, weight, bias, strides: stride, padding: padding, output_padding: outputPadding);
        using var scope = NewDisposeScope();
        Tensor widenedX = AppendZeros(x, 1, extraIn);                                 // [B, I + extraIn, H, W]
        Tensor widened = AppendZeros(AppendZeros(weight, 0, extraIn), 1, extraOut);   // [I + extraIn, O + extraOut, kH, kW]
        Tensor? widenedBias = bias is null ? null : AppendZeros(bias, 0, extraOut);   // [O + extraOut]
        return nn.functional.conv_transpose2d(widenedX, widened, widenedBias, strides: stride, padding: padding, output_padding: outputPadding)
            .narrow(1, 0, outputs)                                                    // [B, O + extraOut, ...] -> [B, O, ...]
            .MoveToOuterDisposeScope();
    }

    /// <summary>How many channels bring <paramref name="channels"/> to a multiple of <see cref="Block"/>.</summary>
    public static long Widening(long channels) => (Block - channels % Block) % Block;

    /// <summary><paramref name="t"/> with <paramref name="count"/> zero slices appended along <paramref name="dim"/>, in t's memory layout.</summary>
    private static Tensor AppendZeros(Tensor t, long dim, long count)
    {
        if (count == 0) return t.alias();
        long[] shape = t.shape;
        shape[dim] = count;
        Tensor zerosLike = zeros(shape, dtype: t.dtype, device: t.device);
        if (t.dim() == 4 && IsChannelsLast(t))
            zerosLike = zerosLike.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);   // same NHWC strides as t, so cat keeps them
        return cat([t, zerosLike], dim);
    }

    private static bool IsChannelsLast(Tensor t)
    {
        long[] s = t.stride();
        return s[1] == 1 && t.shape[1] > 1;
    }
}
