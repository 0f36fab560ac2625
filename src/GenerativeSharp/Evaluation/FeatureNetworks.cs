using GenerativeSharp.Data;

namespace GenerativeSharp.Evaluation;

/// <summary>
/// The versioned feature networks embedded in the library (Evaluation/Weights/*.safetensors) and the data
/// each one fits. Each file's metadata records the command that reproduces it and its test accuracy; see
/// Evaluation/Weights/README.md.
/// <para>A network fits data by the data's identity, never by its path: (a) the registered name of a named
/// or embedded dataset as <see cref="DataCatalog"/> resolved it (<see cref="DataSplits.DatasetName"/>), or
/// (b) the content hash of the loaded test split (<see cref="DataSplits.TestSha256"/>, 8-bit levels, see
/// <see cref="DataFingerprint"/>) listed in <see cref="FeatureNetworkInfo.FitsTestSha256"/>. The input shape
/// must match too. A folder named "mnist" with other content fits nothing; a copy of Fashion-MNIST's IDX
/// files anywhere fits FMNIST-CNN.</para>
/// </summary>
public static class FeatureNetworks
{
    /// <summary>Fashion-MNIST features: "FMNIST-CNN" (the 10,000-image test split of the official files).</summary>
    public static FeatureNetworkInfo FashionMnist { get; } = new("FMNIST-CNN", "fmnist-cnn.safetensors", "fashion-mnist", [1, 28, 28],
        ["fashion-mnist"],
        ["09f59bceb4c339cee0707b1645163cabab9c5f3c42b7e683dad07a48e014767b"]);

    /// <summary>
    /// MNIST digit features: "MNIST-CNN", trained on the embedded mnist-10k; used for the named "mnist" and
    /// "mnist-10k" and for a directory holding mnist-10k's test split (full MNIST's test hash is not registered:
    /// it was not available offline when this was written).
    /// </summary>
    public static FeatureNetworkInfo Mnist { get; } = new("MNIST-CNN", "mnist-cnn.safetensors", "mnist-10k", [1, 28, 28],
        ["mnist", "mnist-10k"],
        ["04e85943261fb7483b647da7b5fdd62980eebc43ee5ae260b02d8555c4f74990"]);

    /// <summary>
    /// Emoji features at 32 x 32: "EMOJI-CNN-32", for the emoji-64 folder (docs/evaluation.md, "The emoji-64 data") in
    /// its google and twitter styles read with --image-size 32: the hashes are of those two test splits (406 images each).
    /// </summary>
    public static FeatureNetworkInfo Emoji32 { get; } = new("EMOJI-CNN-32", "emoji-cnn-32.safetensors", "emoji-64 google + twitter, 32 x 32", [3, 32, 32],
        [],
        ["5e09537ace62cc15b6bbc99a8027941f59b83f1fec8a3641c4fc3ebbe012f0d6", "3a07da41bb210102eaed96c0a01be59700c8b3108b0b1379f40af00a0fe9436e"]);

    /// <summary>Emoji features at 64 x 64: "EMOJI-CNN-64", for the emoji-64 folder's google and twitter styles at their own size.</summary>
    public static FeatureNetworkInfo Emoji64 { get; } = new("EMOJI-CNN-64", "emoji-cnn-64.safetensors", "emoji-64 google + twitter, 64 x 64", [3, 64, 64],
        [],
        ["2a5b97a3e35a6264984325ac86f820a4cc30dc148f5642304ee30e87dff9e038", "cfa563227ec97e763e536ecd97549640965d23c7c420469d44223c812061540e"]);

    /// <summary>Every network, in the order <see cref="For(DataSplits)"/> tries them.</summary>
    public static IReadOnlyList<FeatureNetworkInfo> All { get; } = [FashionMnist, Mnist, Emoji32, Emoji64];

    /// <summary>The embedded network that fits <paramref name="data"/> by name or test-split hash, or null.</summary>
    public static FeatureNetworkInfo? For(DataSplits data) => For(data, All);

    /// <summary>The first of <paramref name="candidates"/> that is embedded and fits <paramref name="data"/>, or null.</summary>
    public static FeatureNetworkInfo? For(DataSplits data, IEnumerable<FeatureNetworkInfo> candidates)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!data.Description.IsImage) return null;
        FeatureNetworkInfo[] shaped = [.. candidates.Where(n => n.InputShape.SequenceEqual(data.EventShape) && n.IsEmbedded)];
        if (shaped.Length == 0) return null;
        FeatureNetworkInfo? named = data.DatasetName is string name
            ? shaped.FirstOrDefault(n => n.DatasetNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            : null;
        if (named is not null) return named;
        string hash = data.TestSha256;
        return shaped.FirstOrDefault(n => n.FitsTestSha256.Contains(hash, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>
    /// One line saying why images get no FID / KID / precision-recall, e.g. "no feature network fits this data
    /// (its test split matches none of: FMNIST-CNN, MNIST-CNN, EMOJI-CNN-32); FID/KID/precision/recall left out".
    /// </summary>
    public static string NoneFitsNote(DataSplits data) =>
        $"no feature network fits this data ({(data.DatasetName is null ? "its test split" : data.DatasetName)} matches none of: " +
        $"{string.Join(", ", All.Where(n => n.IsEmbedded).Select(n => $"{n.Name} [{string.Join(", ", n.InputShape)}]"))}); " +
        "FID/KID/precision/recall left out";
}

/// <summary>
/// One embedded feature network: its display name (used in metric labels), resource file, training data,
/// input shape [C, S, S], the dataset names it serves and the SHA-256 of the test splits it fits.
/// </summary>
public sealed record FeatureNetworkInfo(string Name, string FileName, string TrainingData, long[] InputShape,
    IReadOnlyList<string> DatasetNames, IReadOnlyList<string> FitsTestSha256)
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
