using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Adversarial;

/// <summary>
/// Spectral normalisation of one weight (Miyato et al., "Spectral Normalization for Generative
/// Adversarial Networks", ICLR 2018, arXiv:1802.05957, Algorithm 1): W / sigma(W), with sigma the
/// largest singular value of W viewed as [out, in * k * k], estimated by one power iteration per
/// training forward pass from a persistent vector u (a buffer, so it is checkpointed). The gradient
/// flows through sigma = u^T W v with u, v held fixed.
/// </summary>
internal sealed class SpectralNorm : nn.Module
{
    private readonly Tensor u;

    public SpectralNorm(long outputs) : base(nameof(SpectralNorm))
    {
        u = nn.functional.normalize(randn(outputs), p: 2, dim: 0);
        RegisterComponents();
    }

    /// <summary>W / sigma(W) for a weight [out, ...].</summary>
    public Tensor Normalize(Tensor weight)
    {
        using var scope = NewDisposeScope();
        Tensor w = weight.reshape(weight.shape[0], -1);                          // [out, in * k * k] (a copy if channels-last)
        Tensor uNew, v;
        using (no_grad())
        {
            v = nn.functional.normalize(w.t().matmul(u), p: 2, dim: 0);            // [in * k * k]
            uNew = nn.functional.normalize(w.matmul(v), p: 2, dim: 0);             // [out]
            if (training) u.copy_(uNew);
        }
        Tensor sigma = uNew.dot(w.matmul(v));
        return (weight / sigma).MoveToOuterDisposeScope();
    }

    /// <summary>The linear layer on x, with its weight spectrally normalised when <paramref name="norm"/> is given.</summary>
    public static Tensor Linear(TorchSharp.Modules.Linear layer, SpectralNorm? norm, Tensor x) =>
        norm is null ? layer.forward(x) : nn.functional.linear(x, norm.Normalize(layer.weight!), layer.bias);
}
