using GenerativeSharp.Models;
using static TorchSharp.torch;

namespace GenerativeSharp.Evaluation;

/// <summary>How well a latent model gives its inputs back: decode(encode(x)) against x.</summary>
public static class ReconstructionError
{
    /// <summary>
    /// Mean squared error per pixel (per value) of decode(encode(x)) against x, x [N, ...event] in [0, 1], in batches,
    /// without gradients, accumulated in float64.
    /// </summary>
    public static double MeanSquaredPerPixel(ILatentModel model, Tensor examples, Device device, int batch = 500)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (examples.shape[0] == 0) throw new ArgumentException("no examples to reconstruct", nameof(examples));
        using var noGrad = no_grad();
        double sum = 0;
        for (long start = 0; start < examples.shape[0]; start += batch)
        {
            using var scope = NewDisposeScope();
            Tensor x = examples.narrow(0, start, Math.Min(batch, examples.shape[0] - start)).to(device);
            Tensor back = model.Decode(model.Encode(x));
            sum += (back - x).to(ScalarType.Float64).square().sum().item<double>();
        }
        return sum / examples.numel();
    }
}
