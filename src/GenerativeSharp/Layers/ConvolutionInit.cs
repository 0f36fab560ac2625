using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Layers;

/// <summary>PyTorch's default initialisation of convolution layers (reset_parameters of _ConvNd).</summary>
internal static class ConvolutionInit
{
    public static void Reset(Parameter weight, Parameter? bias, long fanIn)
    {
        using var noGrad = no_grad();
        nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        if (bias is null) return;
        double bound = 1 / Math.Sqrt(fanIn);
        nn.init.uniform_(bias, -bound, bound);
    }
}
