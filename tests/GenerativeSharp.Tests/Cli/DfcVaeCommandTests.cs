using System.Text.Json;
using GenerativeSharp.Data;
using GenerativeSharp.Tests.Models.Variational;
using StbImageSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Cli;

/// <summary>
/// dfc-vae and attribute through the command line. No embedded feature network fits synthetic data (they fit by dataset
/// name or test-split hash), so the run names FMNIST-CNN with --set features=, which its [1, 28, 28] shape allows; the
/// synthetic strokes are resized to 28 x 28 for it.
/// </summary>
public class DfcVaeCommandTests
{
    private static readonly string[] Small = ["--batch-size", "16", "--set", "hidden=16", "--set", "latent=3", "--progress", "none"];

    /// <summary>An MNIST-layout IDX directory of 28 x 28 strokes, labels 0..3.</summary>
    private static string WriteIdx28(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var (prefix, count, seed) in new[] { ("train", 64, 1L), ("t10k", 32, 2L) })
        {
            using var images = DfcVaeTests.Images(count, seed);
            byte[] bytes = images.mul(255).round().to(ScalarType.Byte).data<byte>().ToArray();
            IdxFile.Write(Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz"), [count, 28, 28], bytes, gzip: true);
            IdxFile.Write(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz"), [count], Enumerable.Range(0, count).Select(i => (byte)(i % 4)).ToArray(), gzip: true);
        }
        return directory;
    }

    [Fact]
    public void Train_eval_and_attribute_on_a_tiny_labelled_run()
    {
        using var directory = new TempDirectory();
        string data = WriteIdx28(directory.File("data"));
        string run = directory.File("run");

        CliOutcome refused = CliHost.Run([.. new[] { "train", "dfc-vae", "--data", data, "--steps", "2", "--out", directory.File("no") }, .. Small]);
        Assert.Equal(2, refused.Code);
        Assert.Contains("needs a feature network", refused.Error, StringComparison.Ordinal);
        Assert.Single(refused.Error.Trim().Split('\n'));

        CliOutcome train = CliHost.Run([.. new[] { "train", "dfc-vae", "--data", data, "--steps", "3", "--out", run, "--set", "features=FMNIST-CNN" }, .. Small]);
        Assert.True(train.Code == 0, train.Error);
        Assert.Contains("\"perceptual\"", File.ReadAllText(Path.Combine(run, "metrics.jsonl")), StringComparison.Ordinal);

        CliOutcome eval = CliHost.Run("eval", run, "--json", "--parzen-samples", "20", "--progress", "none");
        Assert.True(eval.Code == 0, eval.Error);
        using var report = JsonDocument.Parse(eval.LastLine);
        JsonElement root = report.RootElement;
        Assert.Equal("dfc-vae", root.GetProperty("model").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("nll_kind").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("negative_elbo_nats").ValueKind);
        double mse = root.GetProperty("reconstruction_mse_per_pixel").GetDouble();
        Assert.InRange(mse, 1e-6, 1.0);
        Assert.Contains(root.GetProperty("notes").EnumerateArray(), n => n.GetString()!.StartsWith("dfc-vae has no likelihood", StringComparison.Ordinal));

        string strip = directory.File("strip.png");
        CliOutcome attribute = CliHost.Run("attribute", run, "--from", "0", "--to", "1", "--test", "2", "--steps", "4", "--out", strip);
        Assert.True(attribute.Code == 0, attribute.Error);
        ImageResult image = ImageResult.FromMemory(File.ReadAllBytes(strip));
        Assert.Equal((5 * 28 * 2 + 6 * 2, 2 * 28 * 2 + 3 * 2), (image.Width, image.Height));   // 1 + 4 columns, 2 rows, scale 2, padding 2

        CliOutcome unknown = CliHost.Run("attribute", run, "--from", "7", "--to", "1", "--test", "2", "--out", strip);
        Assert.Equal(2, unknown.Code);
        Assert.Contains("unknown class; expected one of \"0\", \"1\", \"2\", \"3\"", unknown.Error, StringComparison.Ordinal);
        Assert.Single(unknown.Error.Trim().Split('\n'));
    }

    [Fact]
    public void Attribute_works_on_a_vae_run_and_refuses_a_model_outside_the_vae_family()
    {
        using var directory = new TempDirectory();
        string data = SyntheticImages.WriteIdxDirectory(directory.File("data"), trainCount: 64, testCount: 32);
        string vae = directory.File("vae"), nade = directory.File("nade");
        Assert.Equal(0, CliHost.Run("train", "vae", "--data", data, "--steps", "2", "--out", vae, "--batch-size", "16", "--set", "hidden=8", "--set", "latent=2", "--progress", "none").Code);
        string strip = directory.File("strip.png");
        CliOutcome ok = CliHost.Run("attribute", vae, "--from", "2", "--to", "3", "--test", "1", "--steps", "3", "--extrapolate", "--out", strip);
        Assert.True(ok.Code == 0, ok.Error);
        ImageResult image = ImageResult.FromMemory(File.ReadAllBytes(strip));
        Assert.Equal(4 * 12 * 2 + 5 * 2, image.Width);

        Assert.Equal(0, CliHost.Run("train", "nade", "--data", data, "--steps", "1", "--out", nade, "--batch-size", "16", "--set", "hidden=4", "--progress", "none").Code);
        CliOutcome refused = CliHost.Run("attribute", nade, "--from", "0", "--to", "1", "--test", "1", "--out", strip);
        Assert.Equal(2, refused.Code);
        Assert.Contains("VAE-family run", refused.Error, StringComparison.Ordinal);
    }
}
