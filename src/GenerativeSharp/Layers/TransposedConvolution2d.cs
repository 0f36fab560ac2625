using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Layers;

/// <summary>
/// A 2-D transposed convolution layer (groups 1) with nn.ConvTranspose2d's parameters, names and
/// initialisation (weight [I, O, kH, kW], fan-in taken as O kH kW as PyTorch does), computed through
/// <see cref="ChannelPaddedConvolution"/>.
/// </summary>
public sealed class TransposedConvolution2d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly long[] stride;
    private readonly long[] padding;
    private readonly long[] outputPadding;

    public TransposedConvolution2d(long inputs, long outputs, long kernel, long stride = 1, long padding = 0, long outputPadding = 0, bool bias = true)
        : base(nameof(TransposedConvolution2d))
    {
        if (inputs < 1 || outputs < 1) throw new ArgumentOutOfRangeException(nameof(outputs), $"channels must be positive; got {inputs} -> {outputs}.");
        weight = nn.Parameter(empty(inputs, outputs, kernel, kernel));
        this.bias = bias ? nn.Parameter(empty(outputs)) : null;
        ConvolutionInit.Reset(weight, this.bias, fanIn: outputs * kernel * kernel);
        this.stride = [stride, stride];
        this.padding = [padding, padding];
        this.outputPadding = [outputPadding, outputPadding];
        RegisterComponents();
    }

    /// <summary>[B, I, H, W] -> [B, O, H', W'].</summary>
    public override Tensor forward(Tensor x) => ChannelPaddedConvolution.ConvTranspose2d(x, weight, bias, stride, padding, outputPadding);
}
