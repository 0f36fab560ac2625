using GenerativeSharp.Layers;
using GenerativeSharp.Persistence;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Evaluation;

/// <summary>
/// The small CNN whose penultimate layer gives the features of our FID / KID / precision-recall
/// (docs/evaluation.md: no Inception weights offline, so we train our own and version them). Three
/// 3x3 conv + ReLU + 2x2 max-pool stages (16, 32, 64 channels; 28 -> 14 -> 7 -> 3), a 128-unit ReLU
/// layer (the features) and a 10-way linear classifier; about 98k parameters (~390 KB). The same
/// idea as the Inception features of Heusel et al. (2017, arXiv:1706.08500), on our own data.
/// Inputs are [B, 1, 28, 28] in [0, 1].
/// </summary>
public sealed class FeatureClassifier : nn.Module<Tensor, Tensor>
{
    public const int FeatureSize = 128;

    private readonly Convolution2d conv1 = new(1, 16, 3, padding: 1);
    private readonly Convolution2d conv2 = new(16, 32, 3, padding: 1);
    private readonly Convolution2d conv3 = new(32, 64, 3, padding: 1);
    private readonly Linear hidden = nn.Linear(64 * 3 * 3, FeatureSize);
    private readonly Linear output = nn.Linear(FeatureSize, 10);

    public FeatureClassifier() : base(nameof(FeatureClassifier)) => RegisterComponents();

    /// <summary>Penultimate-layer features, [B, 1, 28, 28] -> [B, 128].</summary>
    public Tensor Features(Tensor x)
    {
        if (x.dim() != 4 || x.shape[1] != 1 || x.shape[2] != 28 || x.shape[3] != 28)
            throw new ArgumentException($"the feature network takes [B, 1, 28, 28] images; got [{string.Join(", ", x.shape)}].");
        using var scope = NewDisposeScope();
        Tensor h = nn.functional.max_pool2d(nn.functional.relu(conv1.forward(x)), 2);     // [B, 16, 14, 14]
        h = nn.functional.max_pool2d(nn.functional.relu(conv2.forward(h)), 2);            // [B, 32, 7, 7]
        h = nn.functional.max_pool2d(nn.functional.relu(conv3.forward(h)), 2);            // [B, 64, 3, 3]
        return nn.functional.relu(hidden.forward(h.flatten(1))).MoveToOuterDisposeScope();   // [B, 576] -> [B, 128]
    }

    /// <summary>Class logits, [B, 10].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return output.forward(Features(x)).MoveToOuterDisposeScope();
    }

    /// <summary>Features of many images in batches, without gradients, on the network's device: [N, 128] on the CPU.</summary>
    public Tensor FeaturesOf(Tensor images, Device device, int batch = 500)
    {
        eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        for (long start = 0; start < images.shape[0]; start += batch)
            parts.Add(Features(images.narrow(0, start, Math.Min(batch, images.shape[0] - start)).to(device)).cpu());
        return cat(parts).MoveToOuterDisposeScope();
    }

    /// <summary>Writes the weights as safetensors with <paramref name="metadata"/> (how they were made).</summary>
    public void Save(string path, IReadOnlyDictionary<string, string> metadata)
    {
        var tensors = state_dict().ToDictionary(p => p.Key, p => p.Value);
        string temporary = path + ".part";
        using (var stream = File.Create(temporary))
            SafeTensorsFile.Write(stream, tensors, metadata);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Loads weights written by <see cref="Save"/>.</summary>
    public static FeatureClassifier Load(ReadOnlySpan<byte> file)
    {
        using SafeTensorsContent content = SafeTensorsFile.Read(file);
        var network = new FeatureClassifier();
        network.load_state_dict(content.Tensors.ToDictionary(p => p.Key, p => p.Value), strict: true);
        network.eval();
        return network;
    }
}
