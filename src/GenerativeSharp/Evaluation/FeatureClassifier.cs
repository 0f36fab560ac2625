using System.Globalization;
using GenerativeSharp.Layers;
using GenerativeSharp.Persistence;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Evaluation;

/// <summary>
/// The small CNN whose penultimate layer gives the features of our FID / KID / precision-recall
/// (docs/evaluation.md: no Inception weights offline, so we train our own and version them). The same
/// idea as the Inception features of Heusel et al. (2017, arXiv:1706.08500), on our own data.
/// <para>Inputs are [B, C, S, S] in [0, 1] with C = 1 (grey) or 3 (colour) and S = 28, 32 or 64. Stages of
/// 3x3 conv + ReLU + 2x2 max-pool (16, 32, 64 channels, then 64 again for S = 64) bring the map to 3x3
/// (28 -> 14 -> 7 -> 3) or 4x4 (32 -> 16 -> 8 -> 4, 64 -> 32 -> 16 -> 8 -> 4); a 4x4 map is average-pooled
/// to 3x3 (adaptive pooling, windows of 2x2 at stride 1). Then a 128-unit ReLU layer on the 576 values
/// (the features) and a linear classifier over the data's classes.</para>
/// <para>The [1, 28, 28] network is the module of the first versions, unchanged: the same parameter names
/// and shapes, the same operations (no pooling step), so its weight files load and give the same features.</para>
/// </summary>
public sealed class FeatureClassifier : nn.Module<Tensor, Tensor>
{
    public const int FeatureSize = 128;

    /// <summary>Metadata key of the input shape "C,S,S" in a saved file; files without it are [1, 28, 28].</summary>
    public const string InputShapeKey = "gensharp_input_shape";

    /// <summary>Metadata key of the class count in a saved file.</summary>
    public const string ClassesKey = "gensharp_classes";

    /// <summary>The image sides the network takes.</summary>
    public static IReadOnlyList<int> Sides { get; } = [28, 32, 64];

    private readonly Convolution2d conv1;
    private readonly Convolution2d conv2;
    private readonly Convolution2d conv3;
    private readonly Convolution2d? conv4;
    private readonly Linear hidden;
    private readonly Linear output;

    /// <summary>A fresh network for [B, <paramref name="channels"/>, <paramref name="side"/>, <paramref name="side"/>] images and <paramref name="classes"/> classes.</summary>
    public FeatureClassifier(int channels = 1, int side = 28, int classes = 10) : base(nameof(FeatureClassifier))
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "the feature network takes 1 or 3 channels.");
        if (!Sides.Contains(side)) throw new ArgumentOutOfRangeException(nameof(side), side, $"the feature network takes images of side {string.Join(", ", Sides)}.");
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "a classifier needs at least 2 classes.");
        Channels = channels;
        Side = side;
        Classes = classes;
        // Created in this order so that a seeded [1, 28, 28] network starts from the same weights as before.
        conv1 = new Convolution2d(channels, 16, 3, padding: 1);
        conv2 = new Convolution2d(16, 32, 3, padding: 1);
        conv3 = new Convolution2d(32, 64, 3, padding: 1);
        conv4 = side == 64 ? new Convolution2d(64, 64, 3, padding: 1) : null;
        hidden = nn.Linear(64 * 3 * 3, FeatureSize);
        output = nn.Linear(FeatureSize, classes);
        RegisterComponents();
    }

    /// <summary>Input channels C.</summary>
    public int Channels { get; }

    /// <summary>Input side S.</summary>
    public int Side { get; }

    /// <summary>Output classes.</summary>
    public int Classes { get; }

    /// <summary>[C, S, S], the shape of one input image.</summary>
    public long[] InputShape => [Channels, Side, Side];

    /// <summary>Penultimate-layer features, [B, C, S, S] -> [B, 128].</summary>
    public Tensor Features(Tensor x)
    {
        if (x.dim() != 4 || x.shape[1] != Channels || x.shape[2] != Side || x.shape[3] != Side)
            throw new ArgumentException($"the feature network takes [B, {Channels}, {Side}, {Side}] images; got [{string.Join(", ", x.shape)}].");
        using var scope = NewDisposeScope();
        Tensor h = nn.functional.max_pool2d(nn.functional.relu(conv1.forward(x)), 2);     // [B, 16, S/2, S/2]
        h = nn.functional.max_pool2d(nn.functional.relu(conv2.forward(h)), 2);            // [B, 32, S/4, S/4]
        h = nn.functional.max_pool2d(nn.functional.relu(conv3.forward(h)), 2);            // [B, 64, 3 or 4 (or 8), ...]
        if (conv4 is not null) h = nn.functional.max_pool2d(nn.functional.relu(conv4.forward(h)), 2);   // S = 64: [B, 64, 4, 4]
        if (h.shape[2] != 3) h = nn.functional.adaptive_avg_pool2d(h, [3, 3]);            // 4x4 -> [B, 64, 3, 3]; 28 skips this
        return nn.functional.relu(hidden.forward(h.flatten(1))).MoveToOuterDisposeScope();   // [B, 576] -> [B, 128]
    }

    /// <summary>
    /// The ReLU outputs of the first <paramref name="stages"/> conv stages (before their max-pool), the "relu1, relu2, relu3"
    /// of a feature perceptual loss (Hou et al. 2017): stage 1 [B, 16, S, S], 2 [B, 32, S/2, S/2], 3 [B, 64, S/4, S/4].
    /// </summary>
    public IReadOnlyList<Tensor> StageActivations(Tensor x, int stages)
    {
        if (stages is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(stages), stages, "stages 1 to 3");
        if (x.dim() != 4 || x.shape[1] != Channels || x.shape[2] != Side || x.shape[3] != Side)
            throw new ArgumentException($"the feature network takes [B, {Channels}, {Side}, {Side}] images; got [{string.Join(", ", x.shape)}].");
        var outputs = new List<Tensor>();
        Tensor h = nn.functional.relu(conv1.forward(x));                                   // [B, 16, S, S]
        outputs.Add(h);
        if (stages >= 2)
        {
            h = nn.functional.relu(conv2.forward(nn.functional.max_pool2d(h, 2)));        // [B, 32, S/2, S/2]
            outputs.Add(h);
        }
        if (stages >= 3)
            outputs.Add(nn.functional.relu(conv3.forward(nn.functional.max_pool2d(h, 2))));   // [B, 64, S/4, S/4]
        return outputs;
    }

    /// <summary>Class logits, [B, classes].</summary>
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

    /// <summary>
    /// Writes the weights as safetensors with <paramref name="metadata"/> (how they were made), adding the
    /// input shape (<see cref="InputShapeKey"/>, e.g. "3,32,32") and class count (<see cref="ClassesKey"/>).
    /// </summary>
    public void Save(string path, IReadOnlyDictionary<string, string> metadata)
    {
        var tensors = state_dict().ToDictionary(p => p.Key, p => p.Value);
        var all = new Dictionary<string, string>(metadata)
        {
            [InputShapeKey] = string.Join(",", InputShape),
            [ClassesKey] = Classes.ToString(CultureInfo.InvariantCulture),
        };
        string temporary = path + ".part";
        using (var stream = File.Create(temporary))
            SafeTensorsFile.Write(stream, tensors, all);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Loads weights written by <see cref="Save"/> (files without an input shape are [1, 28, 28] networks).</summary>
    public static FeatureClassifier Load(ReadOnlySpan<byte> file)
    {
        using SafeTensorsContent content = SafeTensorsFile.Read(file);
        var (channels, side) = InputShapeOf(content.Metadata);
        int classes = content.Tensors.TryGetValue("output.weight", out Tensor? weight) ? (int)weight.shape[0] : 10;
        var network = new FeatureClassifier(channels, side, classes);
        network.load_state_dict(content.Tensors.ToDictionary(p => p.Key, p => p.Value), strict: true);
        network.eval();
        return network;
    }

    /// <summary>(C, S) from the metadata's "C,S,S", or (1, 28) when it has none.</summary>
    internal static (int Channels, int Side) InputShapeOf(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(InputShapeKey, out string? text)) return (1, 28);
        int[] shape = text.Split(',').Select(part => int.Parse(part, CultureInfo.InvariantCulture)).ToArray();
        if (shape.Length != 3 || shape[1] != shape[2])
            throw new InvalidDataException($"{InputShapeKey} '{text}': expected C,S,S.");
        return (shape[0], shape[1]);
    }
}
