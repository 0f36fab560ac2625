using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Bijectors;

/// <summary>
/// An invertible, differentiable map with a tractable Jacobian determinant, as a Module (it trains,
/// moves to a device and saves with the model). The direction is fixed, as in torch.distributions and Pyro:
/// <see cref="Forward"/> maps latent -> data (sampling) and <see cref="Inverse"/> maps data -> latent
/// (density). Each returns its output and log |det J| of its own direction per example, [batch],
/// so <c>Inverse(Forward(z).Output).LogDet = -Forward(z).LogDet</c>.
/// Reference for the contract: Rezende and Mohamed, "Variational Inference with Normalizing Flows",
/// ICML 2015 (arXiv:1505.05770); Papamakarios et al., "Normalizing Flows for Probabilistic Modeling
/// and Inference", JMLR 2021 (arXiv:1912.02762).
/// </summary>
public abstract class Bijector : nn.Module
{
    protected Bijector(string name) : base(name) { }

    /// <summary>Latent -> data: z [B, ...] -> (x [B, ...], log |det dx/dz| [B]).</summary>
    public abstract (Tensor Output, Tensor LogDet) Forward(Tensor z);

    /// <summary>Data -> latent: x [B, ...] -> (z [B, ...], log |det dz/dx| [B]).</summary>
    public abstract (Tensor Output, Tensor LogDet) Inverse(Tensor x);

    /// <summary>The shape of one output of <see cref="Inverse"/> for one input of shape <paramref name="dataShape"/> (most bijectors keep it).</summary>
    public virtual long[] LatentShape(long[] dataShape) => dataShape;

    /// <summary>Sums every dimension but the first: [B, ...] -> [B].</summary>
    protected static Tensor SumPerExample(Tensor t) => t.dim() == 1 ? t : t.flatten(1).sum(1);

    /// <summary>A zero log-det [B] of the input's dtype and device.</summary>
    protected static Tensor ZeroLogDet(Tensor x) => zeros(x.shape[0], dtype: x.dtype, device: x.device);
}
