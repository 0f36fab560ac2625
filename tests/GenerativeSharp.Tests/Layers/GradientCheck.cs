using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Layers;

/// <summary>Compares a module's float32 gradients with its float64 ones on the same random weights and inputs.</summary>
internal static class GradientCheck
{
    /// <summary>
    /// Gives <paramref name="module"/> random weights (zero-initialised layers would make every input
    /// gradient zero), computes the gradients of sum(u * f(x)) for random x [<paramref name="shape"/>]
    /// and u in float32, then converts the module to float64 and computes them again. Null when the
    /// input and every parameter gradient agree to <paramref name="tolerance"/> relative (in norm),
    /// else what differs. The module ends in float32 again.
    /// </summary>
    public static string? Compare(nn.Module module, Func<Tensor, Tensor> apply, long[] shape, bool channelsLast, double tolerance = 1e-4)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(7);
        using (no_grad())
            foreach (TorchSharp.Modules.Parameter p in module.parameters())
                p.copy_(randn(p.shape, generator: generator) * 0.2);                // copy_ keeps p's layout
        Tensor x64 = randn(shape, dtype: ScalarType.Float64, generator: generator);
        Tensor x32 = x64.to(ScalarType.Float32);
        if (channelsLast) x32 = x32.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);   // NHWC strides
        Tensor u64 = randn(apply(x32.detach()).shape, dtype: ScalarType.Float64, generator: generator);

        Tensor[] actual = Gradients(module, apply, x32, u64.to(ScalarType.Float32));
        module.to(ScalarType.Float64);
        Tensor[] expected = Gradients(module, apply, x64, u64);
        module.to(ScalarType.Float32);                                                      // keeps each parameter's strides
        string[] names = ["input", .. module.named_parameters().Select(p => p.name)];
        var wrong = new List<string>();
        for (int i = 0; i < expected.Length; i++)
        {
            double reference = expected[i].norm().item<double>();
            double error = (actual[i] - expected[i]).norm().item<double>() / Math.Max(reference, 1e-30);
            if (!(error <= tolerance)) wrong.Add($"{names[i]} gradient relative error {error:G3}");
        }
        return wrong.Count == 0 ? null : string.Join(", ", wrong);
    }

    private static Tensor[] Gradients(nn.Module module, Func<Tensor, Tensor> apply, Tensor x, Tensor u)
    {
        Tensor input = x.detach().requires_grad_(true);
        Tensor[] parameters = module.parameters().Select(p => p.requires_grad_(true)).ToArray();   // Module.to(dtype) may drop the flag
        Tensor objective = (apply(input) * u).sum();
        return torch.autograd.grad([objective], [input, .. parameters]).Select(g => g.to(ScalarType.Float64)).ToArray();
    }
}
