using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Runtime;

/// <summary>
/// Memory layout of convolution weights. On a CPU, libtorch runs convolutions through oneDNN, which
/// works in channels-last (NHWC) order: given NCHW tensors it reorders input, weight and output on
/// every call and again in backward. A convolution whose weight is channels-last runs in NHWC and
/// returns a channels-last output, so a stack of convolutions stays in NHWC end to end (measured in
/// docs/performance.md: the 51-convolution probe's step 1.8x faster, Glow's 20%, DCGAN's 9%).
/// <see cref="Prefer"/> re-lays a model's 4-D parameters that way where it is placed on a CPU; shapes,
/// values and names do not change, only strides. On CUDA it does nothing, and a model that measured
/// slower that way says so with <see cref="IKeepsContiguousConvolutions"/> (PixelCNN). Setting the
/// environment variable <c>GENSHARP_CONV_LAYOUT=contiguous</c> turns it off (for A/B measurements).
/// </summary>
public static class ConvolutionLayout
{
    /// <summary>The environment variable that turns the channels-last layout off ("contiguous").</summary>
    public const string EnvironmentVariable = "GENSHARP_CONV_LAYOUT";

    /// <summary>Whether 4-D weights are laid out channels-last on <paramref name="device"/>.</summary>
    public static bool ChannelsLast(Device device) =>
        device.type == DeviceType.CPU
        && !string.Equals(Environment.GetEnvironmentVariable(EnvironmentVariable), "contiguous", StringComparison.OrdinalIgnoreCase);

    /// <summary>Re-lays every 4-D floating-point parameter of <paramref name="module"/> channels-last when <see cref="ChannelsLast"/> holds.</summary>
    public static void Prefer(nn.Module module, Device device)
    {
        if (!ChannelsLast(device) || module is IKeepsContiguousConvolutions) return;
        using var noGrad = no_grad();
        foreach (var parameter in module.parameters())
        {
            if (parameter.dim() != 4 || !parameter.is_floating_point()) continue;
            using var scope = NewDisposeScope();
            Tensor relaid = parameter.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);   // [O, I, kH, kW], NHWC strides
            parameter.set_(relaid);                                                          // same values, new strides
        }
    }

    /// <summary>
    /// A view of the dense buffer <paramref name="flat"/> [numel] with <paramref name="like"/>'s shape
    /// and the same order of strides (contiguous, channels-last, or any other dense layout).
    /// </summary>
    public static Tensor ViewLike(Tensor flat, Tensor like)
    {
        long[] shape = like.shape;
        long[] strides = like.stride();
        int[] outerToInner = Enumerable.Range(0, shape.Length)
            .OrderByDescending(d => strides[d]).ThenBy(d => d).ToArray();
        var back = new long[shape.Length];
        for (int k = 0; k < outerToInner.Length; k++) back[outerToInner[k]] = k;
        return flat.view(outerToInner.Select(d => shape[d]).ToArray()).permute(back);   // dims in memory order -> like's order
    }
}

/// <summary>
/// A model whose CPU training step measured slower with channels-last convolution weights, so
/// <see cref="ConvolutionLayout.Prefer"/> leaves it contiguous (PixelCNN: about 10% slower).
/// </summary>
public interface IKeepsContiguousConvolutions;
