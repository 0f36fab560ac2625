using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Layers;

/// <summary>
/// A 2-D convolution layer (groups 1) with nn.Conv2d's parameters, names and initialisation
/// (weight [O, I, kH, kW] ~ U(-b, b) by Kaiming's rule with a = sqrt 5, bias [O] ~ U(-b, b),
/// b = 1 / sqrt(I kH kW)) that computes through <see cref="ChannelPaddedConvolution"/>, so its
/// gradients are right on every CPU. Checkpoints of nn.Conv2d load into it unchanged.
/// </summary>
public sealed class Convolution2d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly long[] stride;
    private readonly long[] padding;

    public Convolution2d(long inputs, long outputs, (long Height, long Width) kernel, long stride = 1, (long Height, long Width) padding = default, bool bias = true)
        : base(nameof(Convolution2d))
    {
        if (inputs < 1 || outputs < 1) throw new ArgumentOutOfRangeException(nameof(outputs), $"channels must be positive; got {inputs} -> {outputs}.");
        weight = nn.Parameter(empty(outputs, inputs, kernel.Height, kernel.Width));
        this.bias = bias ? nn.Parameter(empty(outputs)) : null;
        ConvolutionInit.Reset(weight, this.bias, fanIn: inputs * kernel.Height * kernel.Width);
        this.stride = [stride, stride];
        this.padding = [padding.Height, padding.Width];
        RegisterComponents();
    }

    /// <summary>A square kernel with the same padding on every side.</summary>
    public Convolution2d(long inputs, long outputs, long kernel, long stride = 1, long padding = 0, bool bias = true)
        : this(inputs, outputs, (kernel, kernel), stride, (padding, padding), bias)
    {
    }

    /// <summary>[O, I, kH, kW].</summary>
    public Parameter Weight => weight;

    /// <summary>[O], or null without a bias.</summary>
    public Parameter? Bias => bias;

    /// <summary>[B, I, H, W] -> [B, O, H', W'].</summary>
    public override Tensor forward(Tensor x) => ChannelPaddedConvolution.Conv2d(x, weight, bias, stride, padding);

    /// <summary>The same convolution with another weight (e.g. a spectrally normalised one): [B, I, H, W] -> [B, O, H', W'].</summary>
    public Tensor Apply(Tensor x, Tensor otherWeight) => ChannelPaddedConvolution.Conv2d(x, otherWeight, bias, stride, padding);
}
