using GenerativeSharp.Runtime;
using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace GenerativeSharp.Training.Optimizers;

/// <summary>
/// Puts a module's trainable parameters and their gradients into two contiguous buffers: every
/// parameter becomes a view into <see cref="Values"/> and its gradient a view into
/// <see cref="Gradients"/>, so backward accumulates straight into the flat gradient and an
/// optimizer updates all parameters with a handful of whole-buffer ops instead of a chain of small
/// ops per tensor. Each view keeps its parameter's memory layout (channels-last convolution weights
/// on a CPU, <see cref="ConvolutionLayout"/>). Build it after the module has reached its device and loaded its weights; moving
/// the module afterwards breaks the views.
/// </summary>
public sealed class FlatParameters : IDisposable
{
    private readonly List<Tensor> views = [];

    public FlatParameters(IEnumerable<Parameter> parameters)
    {
        Parameters = parameters.Where(p => p.requires_grad).ToList();
        if (Parameters.Count == 0) throw new ArgumentException("the module has no trainable parameters.", nameof(parameters));
        Tensor first = Parameters[0];
        foreach (Parameter p in Parameters)
            if (p.dtype != first.dtype || p.device.type != first.device.type || p.device.index != first.device.index)
                throw new ArgumentException($"flat buffers need one dtype and device; found {first.dtype} on {first.device} and {p.dtype} on {p.device}.");
        long total = Parameters.Sum(p => p.numel());
        Values = zeros(total, dtype: first.dtype, device: first.device);
        Gradients = zeros(total, dtype: first.dtype, device: first.device);
        using var noGrad = no_grad();
        long offset = 0;
        foreach (Parameter p in Parameters)
        {
            long n = p.numel();
            Tensor value = ConvolutionLayout.ViewLike(Values.narrow(0, offset, n), p);   // keeps p's layout (e.g. channels-last)
            value.copy_(p);
            p.set_(value);                                     // the parameter now lives in Values
            Tensor gradient = ConvolutionLayout.ViewLike(Gradients.narrow(0, offset, n), p);
            p.grad = gradient;                                 // backward accumulates in place into Gradients
            views.Add(value);
            views.Add(gradient);
            offset += n;
        }
    }

    /// <summary>The trainable parameters, in buffer order.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>All parameter values, [total elements].</summary>
    public Tensor Values { get; }

    /// <summary>All gradients, [total elements].</summary>
    public Tensor Gradients { get; }

    /// <summary>
    /// Zeroes every gradient in one op. Gradients must stay views: never call the module's zero_grad,
    /// which may replace them.
    /// </summary>
    public void ZeroGradients() => Gradients.zero_();

    public void Dispose()
    {
        foreach (Tensor view in views) view.Dispose();
        Values.Dispose();
        Gradients.Dispose();
    }
}
