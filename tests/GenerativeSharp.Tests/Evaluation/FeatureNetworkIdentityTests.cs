using System.Text.Json;
using GenerativeSharp.Data;
using GenerativeSharp.Evaluation;
using GenerativeSharp.Imaging;
using GenerativeSharp.Persistence;
using GenerativeSharp.Tests.Cli;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Evaluation;

/// <summary>Feature networks fit data by its name or its test split's content hash, never by its path.</summary>
public sealed class FeatureNetworkIdentityTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Named_datasets_get_their_network_by_name()
    {
        using DataSplits digits = DataCatalog.Load("mnist-10k", new DataOptions());
        Assert.Equal("mnist-10k", digits.DatasetName);
        Assert.Equal("MNIST-CNN", FeatureNetworks.For(digits)!.Name);
        Assert.True(SampleMetrics.HasQuality(digits));
        Assert.Null(SampleMetrics.MissingQualityNote(digits));
    }

    [Fact]
    public void A_plain_directory_with_a_registered_test_split_gets_its_network_by_hash_and_a_changed_copy_gets_none()
    {
        using DataSplits digits = DataCatalog.Load("mnist-10k", new DataOptions());
        string plain = WriteIdx(digits, Path.Combine(_dir.Path, "digits"), changePixel: false);
        string changed = WriteIdx(digits, Path.Combine(_dir.Path, "mnist", "mnist-10k"), changePixel: true);

        using DataSplits copy = DataCatalog.Load(plain, new DataOptions());
        Assert.Null(copy.DatasetName);
        Assert.Equal(digits.TestSha256, copy.TestSha256);
        Assert.Equal("MNIST-CNN", FeatureNetworks.For(copy)!.Name);

        using DataSplits other = DataCatalog.Load(changed, new DataOptions());   // "mnist" twice in its path, one pixel off
        Assert.NotEqual(digits.TestSha256, other.TestSha256);
        Assert.Null(FeatureNetworks.For(other));
    }

    [Fact]
    public void Image_folders_with_mnist_in_their_path_get_no_network_and_eval_says_so_in_one_line()
    {
        string folder = WriteGreyFolder(Path.Combine(_dir.Path, "tiny"));
        string mnistNamed = WriteGreyFolder(Path.Combine(_dir.Path, "fashion-mnist", "mnist"));
        foreach (string path in new[] { folder, mnistNamed })
        {
            using DataSplits data = DataCatalog.Load(path, new DataOptions());
            Assert.Equal([1L, 28, 28], data.EventShape);                  // the shape of FMNIST-CNN and MNIST-CNN
            Assert.Null(FeatureNetworks.For(data));
            Assert.False(SampleMetrics.HasQuality(data));
            string note = SampleMetrics.MissingQualityNote(data)!;
            Assert.StartsWith("no feature network fits this data (its test split matches none of: FMNIST-CNN [1, 28, 28], MNIST-CNN [1, 28, 28]", note);
            Assert.EndsWith("FID/KID/precision/recall left out", note);
        }

        string run = Path.Combine(_dir.Path, "run");
        CliOutcome train = CliHost.Run("train", "vae", "--data", mnistNamed, "--steps", "4", "--out", run, "--batch-size", "8",
            "--set", "hidden=16", "--set", "latent=2", "--progress", "none");
        Assert.True(train.Code == 0, train.Error);
        CliOutcome eval = CliHost.Run("eval", run, "--json", "--samples", "2", "--progress", "none");
        Assert.True(eval.Code == 0, eval.Error);
        using var report = JsonDocument.Parse(eval.LastLine);
        Assert.Contains(report.RootElement.GetProperty("notes").EnumerateArray(), n => n.GetString()!.StartsWith("no feature network fits this data"));
        Assert.False(report.RootElement.TryGetProperty("fid", out _));
        Assert.Single(eval.Error.Split('\n'), line => line.StartsWith("no feature network fits this data"));
    }

    [Fact]
    public void The_hash_of_a_split_is_stable_across_loads_and_changes_with_one_pixel()
    {
        string folder = WriteGreyFolder(Path.Combine(_dir.Path, "a"));
        using DataSplits first = DataCatalog.Load(folder, new DataOptions());
        using DataSplits second = DataCatalog.Load(folder, new DataOptions());
        Assert.Equal(64, first.TestSha256.Length);
        Assert.Equal(first.TestSha256, second.TestSha256);
        Assert.Equal(first.TestSha256, DataFingerprint.Sha256(first.Test));

        string other = WriteGreyFolder(Path.Combine(_dir.Path, "b"), brightestTestPixel: 254);
        using DataSplits changed = DataCatalog.Load(other, new DataOptions());
        Assert.NotEqual(first.TestSha256, changed.TestSha256);
        using DataSplits resized = DataCatalog.Load(folder, new DataOptions { ImageSize = 32 });
        Assert.NotEqual(first.TestSha256, resized.TestSha256);                         // the shape is part of the identity
    }

    [Fact]
    public void A_registered_test_split_hash_picks_its_network_and_only_at_its_shape()
    {
        string folder = WriteGreyFolder(Path.Combine(_dir.Path, "registered"));
        using DataSplits data = DataCatalog.Load(folder, new DataOptions());
        // A test-only registration: any embedded file serves, the choice looks only at shape and hash.
        var fits = new FeatureNetworkInfo("TEST-CNN", FeatureNetworks.FashionMnist.FileName, "test", [1, 28, 28], [], [data.TestSha256.ToUpperInvariant()]);
        var wrongShape = fits with { Name = "TEST-CNN-32", InputShape = [1, 32, 32] };
        var notEmbedded = fits with { Name = "MISSING", FileName = "missing.safetensors" };
        Assert.Equal("TEST-CNN", FeatureNetworks.For(data, [wrongShape, notEmbedded, fits])!.Name);
        Assert.Null(FeatureNetworks.For(data, [wrongShape, notEmbedded]));
        Assert.Null(FeatureNetworks.For(data, [FeatureNetworks.FashionMnist, FeatureNetworks.Mnist]));
    }

    [Theory]
    [InlineData("EMOJI-CNN-32", 32)]
    [InlineData("EMOJI-CNN-64", 64)]
    public void The_emoji_networks_declare_the_test_splits_they_fit_in_their_metadata(string name, int side)
    {
        FeatureNetworkInfo emoji = FeatureNetworks.All.Single(n => n.Name == name);
        Assert.True(emoji.IsEmbedded);
        string path = Path.Combine(RepositoryRoot.Path, "src", "GenerativeSharp", "Evaluation", "Weights", emoji.FileName);
        using SafeTensorsContent content = SafeTensorsFile.Read(File.ReadAllBytes(path));
        Assert.Equal($"3,{side},{side}", content.Metadata[FeatureClassifier.InputShapeKey]);
        Assert.Equal("10", content.Metadata[FeatureClassifier.ClassesKey]);
        Assert.Equal(emoji.FitsTestSha256, content.Metadata["gensharp_fits_test_sha256"].Split(','));
        Assert.Equal(2, emoji.FitsTestSha256.Count);                                    // google and twitter test splits
        using FeatureClassifier network = emoji.Load();
        Assert.Equal([3L, side, side], network.InputShape);
    }

    [Fact]
    public void Fashion_mnist_files_in_a_plain_directory_get_the_fashion_network_when_installed()
    {
        const string installed = "/usr/share/datasets/fashion-mnist";   // Debian's dataset-fashion-mnist; absent elsewhere
        if (!IdxDirectory.HasImages(installed)) return;
        using DataSplits data = DataCatalog.Load(installed, new DataOptions());
        Assert.Null(data.DatasetName);
        Assert.Equal("FMNIST-CNN", FeatureNetworks.For(data)!.Name);
    }

    /// <summary>An ImageFolder of 28x28 grey PNGs: 6 train and 4 test images in two classes.</summary>
    private static string WriteGreyFolder(string root, byte brightestTestPixel = 255)
    {
        for (int i = 0; i < 10; i++)
        {
            string split = i < 6 ? "train" : "test";
            string label = i % 2 == 0 ? "even" : "odd";
            byte[] pixels = [.. Enumerable.Range(0, 28 * 28).Select(p => (byte)((p * (i + 3)) % 200))];
            if (i == 9) pixels[0] = brightestTestPixel;
            PngFile.Write(Path.Combine(root, split, label, $"{i}.png"), pixels, 28, 28, 1);
        }
        return root;
    }

    /// <summary>Writes <paramref name="data"/> as an IDX directory (8-bit), optionally with one test pixel changed.</summary>
    private static string WriteIdx(DataSplits data, string directory, bool changePixel)
    {
        Directory.CreateDirectory(directory);
        foreach (var (prefix, split) in new[] { ("train", data.Train), ("t10k", data.Test) })
        {
            using Tensor levels = split.Examples.mul(255).round().to(ScalarType.Byte);
            byte[] bytes = levels.data<byte>().ToArray();
            if (changePixel && prefix == "t10k") bytes[400] ^= 1;
            int count = (int)split.Count;
            IdxFile.Write(Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz"), [count, 28, 28], bytes, gzip: true);
            byte[] labels = [.. split.Labels!.data<long>().ToArray().Select(l => (byte)l)];
            IdxFile.Write(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz"), [count], labels, gzip: true);
        }
        return directory;
    }
}
