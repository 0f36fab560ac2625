using System.Text.Json;
using GenerativeSharp.Training;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Cli;

public sealed class VqVaeCommandTests
{
    private static readonly string[] Tiny =
        ["--set", "hidden=8", "--set", "codes=16", "--set", "dim=4", "--set", "prior_channels=8", "--set", "prior_layers=2",
         "--set", "dead_after=2", "--batch-size", "8", "--progress", "none"];

    [Fact]
    public void Train_resume_sample_and_eval_a_tiny_vq_vae_with_its_prior()
    {
        using var directory = new TempDirectory();
        string data = SyntheticImages.WriteIdxDirectory(directory.File("data"), trainCount: 32, testCount: 8);
        string straight = directory.File("straight"), split = directory.File("split");
        CliOutcome train = CliHost.Run(["train", "vq-vae", "--data", data, "--steps", "6", "--out", straight, .. Tiny]);
        Assert.True(train.Code == 0, train.Error);
        Assert.Equal(0, CliHost.Run(["train", "vq-vae", "--data", data, "--steps", "3", "--out", split, .. Tiny]).Code);
        CliOutcome resumed = CliHost.Run(["train", "vq-vae", "--data", data, "--steps", "6", "--out", split, "--resume", "--batch-size", "8", "--progress", "none"]);
        Assert.True(resumed.Code == 0, resumed.Error);
        using (LoadedCheckpoint a = Checkpoint.Load(straight, CPU))
        using (LoadedCheckpoint b = Checkpoint.Load(split, CPU))
        using (var modelA = a.Model)
        using (var modelB = b.Model)
        {
            var weightsB = modelB.Module.state_dict();
            Assert.Contains("quantizer.codebook", weightsB.Keys);
            Assert.Contains("quantizer.unused_steps", weightsB.Keys);
            Assert.Contains(weightsB.Keys, k => k.StartsWith("prior.", StringComparison.Ordinal));
            foreach (var (name, weight) in modelA.Module.state_dict())
                Assert.True(weight.equal(weightsB[name]).all().item<bool>(), $"{name} differs after resume");
        }
        JsonElement last = JsonDocument.Parse(File.ReadAllLines(Path.Combine(straight, Trainer.MetricsFileName))[^1]).RootElement;
        foreach (string key in new[] { "perplexity", "dead_codes", "revived", "prior_nll", "bound" })
            Assert.True(last.TryGetProperty(key, out _), key);

        CliOutcome sample = CliHost.Run("sample", straight, "--count", "4", "--out", directory.File("a.png"));
        Assert.True(sample.Code == 0, sample.Error);
        Assert.Equal(0, CliHost.Run("sample", straight, "--count", "4", "--out", directory.File("b.png")).Code);
        Assert.Equal(File.ReadAllBytes(directory.File("a.png")), File.ReadAllBytes(directory.File("b.png")));

        CliOutcome eval = CliHost.Run("eval", straight, "--json", "--limit", "8", "--quality-samples", "8", "--progress", "none");
        Assert.True(eval.Code == 0, eval.Error);
        using var report = JsonDocument.Parse(eval.LastLine);
        JsonElement root = report.RootElement;
        Assert.Equal("bound", root.GetProperty("nll_kind").GetString());
        Assert.True(root.GetProperty("bits_per_dim").GetDouble() > 0);
        Assert.Contains("Gated PixelCNN", root.GetProperty("bound_note").GetString());
        Assert.Equal(8, root.GetProperty("examples").GetInt64());   // (12x12 synthetic data has no FID feature network; Fashion-MNIST does)
    }

    [Fact]
    public void Sampling_a_run_without_a_prior_draws_uniform_codes_and_says_so_in_one_line()
    {
        using var directory = new TempDirectory();
        string data = SyntheticImages.WriteIdxDirectory(directory.File("data"), trainCount: 16, testCount: 8);
        string run = directory.File("run");
        CliOutcome train = CliHost.Run(["train", "vq-vae", "--data", data, "--steps", "2", "--out", run, "--set", "prior=false",
            "--set", "hidden=8", "--set", "codes=16", "--set", "dim=4", "--batch-size", "8", "--progress", "none"]);
        Assert.True(train.Code == 0, train.Error);
        CliOutcome sampled = CliHost.Run("sample", run, "--count", "4", "--out", directory.File("x.png"));
        Assert.True(sampled.Code == 0, sampled.Error);
        Assert.Single(sampled.Out.Split('\n'), line => line.Contains("prior=false", StringComparison.Ordinal));
        CliOutcome eval = CliHost.Run("eval", run, "--json", "--limit", "8", "--quality-samples", "0", "--progress", "none");
        Assert.True(eval.Code == 0, eval.Error);
        using var report = JsonDocument.Parse(eval.LastLine);
        Assert.Contains("log K", report.RootElement.GetProperty("bound_note").GetString());
    }

    [Fact]
    public void A_colour_vq_vae_bounds_the_8_bit_pixels_and_reconstruct_draws_it_beside_a_vae()
    {
        using var directory = new TempDirectory();
        string data = PairedColourFolders.WriteStyle(directory.File("colour"), 30);
        string other = PairedColourFolders.WriteStyle(directory.File("bright"), 200);
        string vq = directory.File("vq"), vae = directory.File("vae"), elsewhere = directory.File("elsewhere");
        string[] size = ["--image-size", "16"];
        CliOutcome train = CliHost.Run(["train", "vq-vae", "--data", data, "--steps", "4", "--out", vq, .. size, .. Tiny]);
        Assert.True(train.Code == 0, train.Error);
        CliOutcome eval = CliHost.Run("eval", vq, "--json", "--quality-samples", "0", "--progress", "none");
        Assert.True(eval.Code == 0, eval.Error);
        using (var report = JsonDocument.Parse(eval.LastLine))
        {
            Assert.Equal("bound", report.RootElement.GetProperty("nll_kind").GetString());
            Assert.Contains("D ln 256", report.RootElement.GetProperty("bound_note").GetString());
            Assert.InRange(report.RootElement.GetProperty("bits_per_dim").GetDouble(), 0.5, 40);
        }
        Assert.Equal(0, CliHost.Run(["train", "vae", "--data", data, "--steps", "2", "--out", vae, "--set", "hidden=8", "--set", "latent=2",
            "--batch-size", "4", "--progress", "none", .. size]).Code);
        Assert.Equal(0, CliHost.Run(["train", "vae", "--data", other, "--steps", "1", "--out", elsewhere, "--set", "hidden=8", "--set", "latent=2",
            "--batch-size", "4", "--progress", "none", .. size]).Code);

        string grid = directory.File("grid.png");
        CliOutcome drawn = CliHost.Run("reconstruct", vq, vae, "--test", "3", "--out", grid);
        Assert.True(drawn.Code == 0, drawn.Error);
        Assert.True(File.Exists(grid));
        string[] lines = drawn.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("row 2: " + vq + " (vq-vae)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("row 3: " + vae + " (vae)", StringComparison.Ordinal));
        foreach (string line in lines.Where(l => l.Contains("squared error", StringComparison.Ordinal)))
            Assert.InRange(double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture), 0, 1);

        CliOutcome mixed = CliHost.Run("reconstruct", vq, elsewhere, "--test", "3", "--out", directory.File("mixed.png"));
        Assert.Equal(2, mixed.Code);
        Assert.Contains("same data", mixed.Error);
        Assert.Equal(2, CliHost.Run("reconstruct", vq, "--test", "0", "--out", directory.File("none.png")).Code);
    }

    [Fact]
    public void A_prior_trained_alone_on_a_trained_autoencoders_frozen_codes_with_init_from()
    {
        using var directory = new TempDirectory();
        string data = SyntheticImages.WriteIdxDirectory(directory.File("data"), trainCount: 32, testCount: 8);
        string autoencoder = directory.File("autoencoder"), prior = directory.File("prior");
        Assert.Equal(0, CliHost.Run(["train", "vq-vae", "--data", data, "--steps", "4", "--out", autoencoder, .. Tiny]).Code);
        string[] stageTwo = ["train", "vq-vae", "--data", data, "--steps", "4", "--set", "train_autoencoder=false", "--set", "hidden=8",
            "--set", "codes=16", "--set", "dim=4", "--set", "prior_channels=12", "--set", "prior_layers=3", "--batch-size", "8", "--progress", "none"];

        CliOutcome alone = CliHost.Run([.. stageTwo, "--out", directory.File("alone")]);
        Assert.Equal(2, alone.Code);
        Assert.Contains("give --init-from DIR", alone.Error);
        CliOutcome misfit = CliHost.Run([.. stageTwo.Select(a => a == "hidden=8" ? "hidden=6" : a), "--out", directory.File("misfit"), "--init-from", autoencoder]);
        Assert.Equal(2, misfit.Code);
        Assert.Contains("must come from it", misfit.Error);

        CliOutcome trained = CliHost.Run([.. stageTwo, "--out", prior, "--init-from", autoencoder]);
        Assert.True(trained.Code == 0, trained.Error);
        Assert.Contains("initialised", trained.Error);
        using (LoadedCheckpoint a = Checkpoint.Load(autoencoder, CPU))
        using (LoadedCheckpoint b = Checkpoint.Load(prior, CPU))
        using (var first = a.Model)
        using (var second = b.Model)
        {
            var frozen = second.Module.state_dict();
            foreach (var (name, weight) in first.Module.state_dict().Where(p => !p.Key.StartsWith("prior.", StringComparison.Ordinal)))
                Assert.True(weight.equal(frozen[name]).all().item<bool>(), $"{name} changed in the prior's run");
            Assert.Equal(12, ((GenerativeSharp.Models.Variational.VqVae)second.Module).Options.PriorChannels);   // a bigger prior than stage one's, started fresh
        }
        CliOutcome resumed = CliHost.Run(["train", "vq-vae", "--data", data, "--steps", "6", "--out", prior, "--resume", "--init-from", autoencoder]);
        Assert.Equal(2, resumed.Code);
        Assert.Contains("drop --init-from", resumed.Error);
        Assert.Equal(0, CliHost.Run(["train", "vq-vae", "--data", data, "--steps", "6", "--out", prior, "--resume", "--progress", "none"]).Code);
        Assert.Equal(0, CliHost.Run("sample", prior, "--count", "4", "--out", directory.File("s.png")).Code);
        CliOutcome eval = CliHost.Run("eval", prior, "--json", "--limit", "8", "--quality-samples", "0", "--progress", "none");
        Assert.True(eval.Code == 0, eval.Error);

        string vae = directory.File("vae");
        Assert.Equal(0, CliHost.Run(["train", "vae", "--data", data, "--steps", "1", "--out", vae, "--progress", "none"]).Code);
        CliOutcome other = CliHost.Run([.. stageTwo, "--out", directory.File("other"), "--init-from", vae]);
        Assert.Equal(2, other.Code);
        Assert.Contains("holds a vae run", other.Error);
    }
}
