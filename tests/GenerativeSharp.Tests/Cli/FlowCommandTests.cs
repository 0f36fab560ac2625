using System.Text.Json;

namespace GenerativeSharp.Tests.Cli;

/// <summary>The flow recipes through the command line: the dequantization bound and bits/dim, exact 2-D NLL and KL gap, temperature, OOD eval.</summary>
public sealed class FlowCommandTests
{
    [Fact]
    public void Glow_on_images_reports_bits_per_dim_as_a_dequantization_bound_and_samples_at_a_temperature()
    {
        using var directory = new TempDirectory();
        string data = SyntheticImages.WriteIdxDirectory(directory.File("data"));
        string run = directory.File("run");
        CliOutcome train = CliHost.Run("train", "glow", "--data", data, "--steps", "6", "--batch-size", "32", "--out", run,
            "--set", "layers=1", "--set", "hidden=8", "--progress", "none");
        Assert.True(train.Code == 0, train.Error);

        CliOutcome eval = CliHost.Run("eval", run, "--json", "--progress", "none");
        Assert.True(eval.Code == 0, eval.Error);
        using var report = JsonDocument.Parse(eval.LastLine);
        JsonElement root = report.RootElement;
        Assert.Equal("bound", root.GetProperty("nll_kind").GetString());
        Assert.Equal("uniform", root.GetProperty("dequantization").GetString());
        double nll = root.GetProperty("nll_nats").GetDouble();
        double bits = root.GetProperty("bits_per_dim").GetDouble();
        Assert.Equal(nll / (144 * Math.Log(2)), bits, 3);
        Assert.True(bits > 0 && bits < 16, $"bits/dim {bits}");

        // Out-of-distribution: any data of the same shape.
        CliOutcome other = CliHost.Run("eval", run, "--data", data, "--split", "train", "--limit", "50", "--json", "--progress", "none");
        Assert.True(other.Code == 0, other.Error);

        CliOutcome sample = CliHost.Run("sample", run, "--count", "4", "--temperature", "0.7", "--out", directory.File("t.png"));
        Assert.True(sample.Code == 0, sample.Error);
        Assert.True(File.Exists(directory.File("t.png")));
        CliOutcome strip = CliHost.Run("interpolate", run, "--steps", "3", "--out", directory.File("i.png"));
        Assert.True(strip.Code == 0, strip.Error);
    }

    [Fact]
    public void Realnvp_on_a_toy_reports_the_kl_gap_and_draws_the_density()
    {
        using var directory = new TempDirectory();
        string run = directory.File("run");
        CliOutcome train = CliHost.Run("train", "realnvp", "--data", "toy:moons", "--steps", "5", "--out", run,
            "--set", "layers=2", "--set", "hidden=16", "--progress", "none");
        Assert.True(train.Code == 0, train.Error);
        Assert.True(File.Exists(Path.Combine(run, "samples.png")));
        CliOutcome eval = CliHost.Run("eval", run, "--json", "--limit", "2000", "--progress", "none");
        Assert.True(eval.Code == 0, eval.Error);
        using var report = JsonDocument.Parse(eval.LastLine);
        JsonElement root = report.RootElement;
        Assert.Equal("exact", root.GetProperty("nll_kind").GetString());
        double gap = root.GetProperty("kl_gap_nats").GetDouble();
        Assert.InRange(gap - (root.GetProperty("nll_nats").GetDouble() - root.GetProperty("true_density_test_nll_nats").GetDouble()), -3e-4, 3e-4);   // fields rounded to 4 places
        Assert.True(gap > -0.02, $"a KL gap below zero is a bug: {gap}");
    }

    [Fact]
    public void Spline_couplings_fit_two_spirals_closer_than_affine_couplings_in_the_same_steps()
    {
        using var directory = new TempDirectory();
        double Gap(string coupling)
        {
            string run = directory.File(coupling);
            CliOutcome train = CliHost.Run("train", "realnvp", "--data", "toy:2spirals", "--steps", "200", "--out", run,
                "--set", "layers=4", "--set", "hidden=32", "--set", $"coupling={coupling}", "--progress", "none");
            Assert.True(train.Code == 0, train.Error);
            CliOutcome eval = CliHost.Run("eval", run, "--json", "--limit", "4000", "--progress", "none");
            Assert.True(eval.Code == 0, eval.Error);
            using var report = JsonDocument.Parse(eval.LastLine);
            return report.RootElement.GetProperty("kl_gap_nats").GetDouble();
        }
        double affine = Gap("affine");
        double spline = Gap("spline");
        Assert.True(spline > -0.02, $"a KL gap below zero is a bug: {spline}");
        Assert.True(spline < affine, $"spline gap {spline} should be below the affine gap {affine}");
    }
}
