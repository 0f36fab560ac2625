using System.Text.Json;
using StbImageSharp;

namespace GenerativeSharp.Tests.Cli;

public sealed class CommandTests
{
    private static readonly string[] Small = ["--batch-size", "32", "--set", "hidden=16", "--set", "latent=3", "--progress", "none"];

    [Fact]
    public void Models_lists_the_taxonomy_and_json()
    {
        CliOutcome tree = CliHost.Run("models");
        Assert.Equal(0, tree.Code);
        Assert.Contains("variational", tree.Out);
        Assert.Contains("vae", tree.Out);
        Assert.Contains("change of variables", tree.Out);

        CliOutcome json = CliHost.Run("models", "--json");
        using var document = JsonDocument.Parse(json.LastLine);
        JsonElement vae = document.RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "vae");
        Assert.Equal("variational", vae.GetProperty("cell").GetString());
        Assert.Equal("VAE", vae.GetProperty("family").GetString());
        Assert.Equal("bound", vae.GetProperty("likelihood").GetString());
    }

    [Fact]
    public void Train_sample_eval_interpolate_on_an_idx_directory()
    {
        using var directory = new TempDirectory();
        string data = SyntheticImages.WriteIdxDirectory(directory.File("data"));
        string run = directory.File("run");

        CliOutcome train = CliHost.Run([.. new[] { "train", "vae", "--data", data, "--steps", "16", "--out", run }, .. Small]);
        Assert.True(train.Code == 0, train.Error);
        foreach (string file in new[] { "checkpoint.safetensors", "metrics.jsonl", "samples.png" })
            Assert.True(File.Exists(Path.Combine(run, file)), file);

        CliOutcome sample = CliHost.Run("sample", run, "--count", "9", "--seed", "3", "--out", directory.File("s.png"));
        Assert.True(sample.Code == 0, sample.Error);
        ImageResult image = ImageResult.FromMemory(File.ReadAllBytes(directory.File("s.png")));
        Assert.True(image.Width >= 3 * 12 && image.Height >= 3 * 12);

        CliOutcome eval = CliHost.Run("eval", run, "--json", "--samples", "5", "--progress", "none");
        Assert.True(eval.Code == 0, eval.Error);
        using var report = JsonDocument.Parse(eval.LastLine);
        JsonElement root = report.RootElement;
        Assert.Equal("vae", root.GetProperty("model").GetString());
        Assert.Equal(data, root.GetProperty("data").GetString());
        Assert.Equal("test", root.GetProperty("split").GetString());
        Assert.Equal(64, root.GetProperty("examples").GetInt64());
        Assert.Equal("estimate", root.GetProperty("nll_kind").GetString());
        Assert.Equal(5, root.GetProperty("iwae_k").GetInt32());
        double nll = root.GetProperty("nll_nats").GetDouble();
        Assert.Equal(nll / (144 * Math.Log(2)), root.GetProperty("bits_per_dim").GetDouble(), 3);
        Assert.True(root.GetProperty("negative_elbo_nats").GetDouble() >= nll - 1e-3, "the -ELBO bounds the estimate from above");
        Assert.True(root.GetProperty("seconds").GetDouble() >= 0);

        CliOutcome strip = CliHost.Run("interpolate", run, "--steps", "4", "--out", directory.File("i.png"));
        Assert.True(strip.Code == 0, strip.Error);
        Assert.Equal(6 * (2 * 12 + 2) + 2, ImageResult.FromMemory(File.ReadAllBytes(directory.File("i.png"))).Width);
    }

    [Fact]
    public void Toy_data_reports_the_entropy_floor_and_the_gap()
    {
        using var directory = new TempDirectory();
        string run = directory.File("run");
        CliOutcome train = CliHost.Run("train", "vae", "--data", "toy:moons", "--steps", "30", "--out", run, "--progress", "none");
        Assert.True(train.Code == 0, train.Error);
        CliOutcome eval = CliHost.Run("eval", run, "--json", "--samples", "3", "--limit", "2000", "--progress", "none");
        using var report = JsonDocument.Parse(eval.LastLine);
        double truth = report.RootElement.GetProperty("true_nll_nats").GetDouble();
        Assert.Equal(2.394, truth, 3);
        double trueDensityNll = report.RootElement.GetProperty("true_density_test_nll_nats").GetDouble();
        Assert.InRange(trueDensityNll, truth - 0.1, truth + 0.1);                       // the true density on 2,000 points
        double gap = report.RootElement.GetProperty("kl_gap_nats").GetDouble();
        Assert.InRange(gap, report.RootElement.GetProperty("nll_nats").GetDouble() - trueDensityNll - 3e-4, report.RootElement.GetProperty("nll_nats").GetDouble() - trueDensityNll + 3e-4);   // fields rounded to 4 places
        Assert.True(report.RootElement.GetProperty("kl_gap_std_err").GetDouble() > 0);
        Assert.Equal(0, CliHost.Run("sample", run, "--count", "500").Code);
        Assert.True(File.Exists(Path.Combine(run, "samples-seed-0.png")));
    }

    [Fact]
    public void Resume_through_the_command_line_is_bit_identical()
    {
        using var directory = new TempDirectory();
        string data = SyntheticImages.WriteIdxDirectory(directory.File("data"));
        string straight = directory.File("straight"), split = directory.File("split");
        Assert.Equal(0, CliHost.Run([.. new[] { "train", "vae", "--data", data, "--steps", "20", "--out", straight }, .. Small]).Code);
        Assert.Equal(0, CliHost.Run([.. new[] { "train", "vae", "--data", data, "--steps", "11", "--out", split }, .. Small]).Code);
        CliOutcome resumed = CliHost.Run("train", "vae", "--data", data, "--steps", "20", "--out", split, "--resume", "--progress", "none");
        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "checkpoint.safetensors")), File.ReadAllBytes(Path.Combine(split, "checkpoint.safetensors")));
    }

    [Fact]
    public void An_interrupted_train_exits_130_with_a_checkpoint()
    {
        using var directory = new TempDirectory();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        string run = directory.File("run");
        CliOutcome outcome = CliHost.Run(cancel.Token, [.. new[] { "train", "vae", "--data", "toy:8gaussians", "--steps", "50", "--out", run }, .. Small]);
        Assert.Equal(130, outcome.Code);
        Assert.True(File.Exists(Path.Combine(run, "checkpoint.safetensors")));
    }

    [Fact]
    public void Bench_prints_json_per_recipe()
    {
        CliOutcome bench = CliHost.Run("bench", "vae", "--json", "--repeats", "3");
        Assert.True(bench.Code == 0, bench.Error);
        using var document = JsonDocument.Parse(bench.LastLine);
        JsonElement vae = document.RootElement.EnumerateArray().Single();
        Assert.Equal("vae", vae.GetProperty("recipe").GetString());
        Assert.True(vae.GetProperty("step_ms").GetDouble() > 0);
        Assert.True(vae.GetProperty("sample_ms_per_item").GetDouble() > 0);
        Assert.True(vae.GetProperty("optimizer_step_ms").GetDouble() > 0);
        Assert.True(vae.GetProperty("baseline_optimizer_step_ms").GetDouble() > 0);
        Assert.Equal(10, vae.GetProperty("parameter_tensors").GetInt32());
    }

    [Fact]
    public void Bench_measures_the_conv_stack_probe_with_over_100_parameter_tensors()
    {
        CliOutcome bench = CliHost.Run("bench", "conv-stack", "--json", "--repeats", "2");
        Assert.True(bench.Code == 0, bench.Error);
        using var document = JsonDocument.Parse(bench.LastLine);
        JsonElement probe = document.RootElement.EnumerateArray().Single();
        Assert.Equal("conv-stack", probe.GetProperty("recipe").GetString());
        Assert.True(probe.GetProperty("parameter_tensors").GetInt32() > 100);
        Assert.Equal(JsonValueKind.Null, probe.GetProperty("sample_ms_per_item").ValueKind);
    }
}
