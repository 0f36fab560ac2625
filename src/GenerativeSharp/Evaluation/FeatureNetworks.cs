using System.Reflection;

namespace GenerativeSharp.Evaluation;

/// <summary>
/// The versioned feature networks embedded in the library (Evaluation/Weights/*.safetensors), by the
/// data they were trained on. Each file's metadata records the command that reproduces it and its test
/// accuracy; see Evaluation/Weights/README.md.
/// </summary>
public static class FeatureNetworks
{
    private const string ResourcePrefix = "GenerativeSharp.Evaluation.Weights.";

    /// <summary>Fashion-MNIST features: "FMNIST-CNN".</summary>
    public static FeatureNetworkInfo FashionMnist { get; } = new("FMNIST-CNN", "fmnist-cnn.safetensors", "fashion-mnist");

    /// <summary>MNIST digit features: "MNIST-CNN".</summary>
    public static FeatureNetworkInfo Mnist { get; } = new("MNIST-CNN", "mnist-cnn.safetensors", "mnist-10k");

    /// <summary>The network for a --data spec of 28x28 images (fashion -> FMNIST-CNN, mnist -> MNIST-CNN), or null.</summary>
    public static FeatureNetworkInfo? For(string dataSpec, long[] eventShape)
    {
        if (!eventShape.SequenceEqual(new long[] { 1, 28, 28 })) return null;
        string spec = dataSpec.ToLowerInvariant();
        FeatureNetworkInfo? info = spec.Contains("fashion") ? FashionMnist : spec.Contains("mnist") ? Mnist : null;
        return info is not null && info.IsEmbedded ? info : null;
    }
}

/// <summary>One embedded feature network: its display name (used in metric labels), resource file and training data.</summary>
public sealed record FeatureNetworkInfo(string Name, string FileName, string TrainingData)
{
    private Stream? Open() =>
        typeof(FeatureNetworks).Assembly.GetManifestResourceStream("GenerativeSharp.Evaluation.Weights." + FileName);

    public bool IsEmbedded
    {
        get
        {
            using Stream? stream = Open();
            return stream is not null;
        }
    }

    /// <summary>Loads the network on the CPU, in eval mode.</summary>
    public FeatureClassifier Load()
    {
        using Stream stream = Open() ?? throw new InvalidOperationException($"feature network {FileName} is not embedded in this build.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return FeatureClassifier.Load(memory.GetBuffer().AsSpan(0, (int)memory.Length));
    }
}
