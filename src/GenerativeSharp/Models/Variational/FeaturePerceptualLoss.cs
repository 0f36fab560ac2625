using GenerativeSharp.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Variational;

/// <summary>
/// The feature perceptual loss of Hou et al. (2017, arXiv:1610.00291, eq. 3): for each chosen layer l of a fixed
/// pretrained network, 1/2 the squared difference of its activations on x and on the reconstruction, summed over
/// (c, h, w) (or divided by C·H·W, the paper's form), then summed over layers; per example, [B].
/// <para>The network is frozen (eval mode, requires_grad false) and is not a module of the model that holds it, so it
/// is neither optimised nor written to a checkpoint: gradients flow through it to the reconstruction only.</para>
/// </summary>
public sealed class FeaturePerceptualLoss : IDisposable
{
    private FeatureClassifier network;

    public FeaturePerceptualLoss(FeatureNetworkInfo info, int layers, bool layerMean)
    {
        ArgumentNullException.ThrowIfNull(info);
        Info = info;
        Layers = layers;
        LayerMean = layerMean;
        network = info.Load();
        Freeze(network);
    }

    /// <summary>The embedded network, as <see cref="FeatureNetworks"/> names it.</summary>
    public FeatureNetworkInfo Info { get; }

    public int Layers { get; }

    public bool LayerMean { get; }

    /// <summary>The frozen network (for tests that check it stays unchanged).</summary>
    public FeatureClassifier Network => network;

    /// <summary>Per-example loss [B] between targets <paramref name="x"/> and <paramref name="reconstruction"/>, both [B, C, S, S] in [0, 1].</summary>
    public Tensor PerExample(Tensor x, Tensor reconstruction)
    {
        Device current = network.parameters().First().device;
        if (current.type != reconstruction.device.type || current.index != reconstruction.device.index)
        {
            var moved = network.to(reconstruction.device);
            network = moved;
            Freeze(network);
        }
        using var scope = NewDisposeScope();
        IReadOnlyList<Tensor> targets;
        using (no_grad()) targets = network.StageActivations(x, Layers);
        IReadOnlyList<Tensor> outputs = network.StageActivations(reconstruction, Layers);
        Tensor total = zeros([x.shape[0]], dtype: reconstruction.dtype, device: reconstruction.device);
        for (int l = 0; l < Layers; l++)
        {
            Tensor squared = (outputs[l] - targets[l]).square().flatten(1);      // [B, C_l * H_l * W_l]
            total = total + 0.5 * (LayerMean ? squared.mean([1L]) : squared.sum(1));
        }
        return total.MoveToOuterDisposeScope();
    }

    public void Dispose() => network.Dispose();

    private static void Freeze(FeatureClassifier module)
    {
        module.eval();
        foreach (var parameter in module.parameters()) parameter.requires_grad = false;
    }
}
