using System.Text.Json;

namespace GenerativeSharp.Tests.Cli;

public sealed class MarkovChainCommandTests
{
    [Fact]
    public void Rbm_train_eval_with_ais_and_exact_log_z_sample_and_chain()
    {
        using var directory = new TempDirectory();
        string data = SyntheticImages.WriteIdxDirectory(directory.File("data"));
        string run = directory.File("run");
        CliOutcome train = CliHost.Run("train", "rbm", "--data", data, "--steps", "30", "--set", "hidden=10", "--out", run, "--progress", "none");
        Assert.True(train.Code == 0, train.Error);

        CliOutcome eval = CliHost.Run("eval", run, "--json", "--progress", "none", "--ais-runs", "20", "--ais-temperatures", "300");
        Assert.True(eval.Code == 0, eval.Error);
        using var report = JsonDocument.Parse(eval.LastLine);
        JsonElement root = report.RootElement;
        Assert.Equal("exact", root.GetProperty("nll_kind").GetString());
        double exact = root.GetProperty("exact_log_z").GetDouble();
        double ais = root.GetProperty("ais_log_z").GetDouble();
        Assert.True(Math.Abs(exact - ais) < 1.0, $"AIS {ais} vs exact {exact} on a small budget");
        Assert.Equal(20, root.GetProperty("ais_runs").GetInt32());
        Assert.True(root.TryGetProperty("ais_log_z_other_base", out _));

        Assert.Equal(0, CliHost.Run("sample", run, "--count", "4").Code);
        CliOutcome chain = CliHost.Run("chain", run, "--count", "3", "--snapshots", "4", "--thinning", "2", "--from", "data");
        Assert.True(chain.Code == 0, chain.Error);
        Assert.True(File.Exists(Path.Combine(run, "chain-data.png")));
    }

    [Fact]
    public void Pcd_resume_is_bit_identical()
    {
        using var directory = new TempDirectory();
        string data = SyntheticImages.WriteIdxDirectory(directory.File("data"));
        string straight = directory.File("a"), split = directory.File("b");
        string[] common = ["--set", "hidden=8", "--set", "pcd=true", "--progress", "none"];
        Assert.Equal(0, CliHost.Run([.. new[] { "train", "rbm", "--data", data, "--steps", "12", "--out", straight }, .. common]).Code);
        Assert.Equal(0, CliHost.Run([.. new[] { "train", "rbm", "--data", data, "--steps", "5", "--out", split }, .. common]).Code);
        Assert.Equal(0, CliHost.Run("train", "rbm", "--data", data, "--steps", "12", "--out", split, "--resume", "--progress", "none").Code);
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "checkpoint.safetensors")), File.ReadAllBytes(Path.Combine(split, "checkpoint.safetensors")));
    }

    [Fact]
    public void Gsn_eval_reports_a_labelled_parzen_estimate_and_chain_works()
    {
        using var directory = new TempDirectory();
        string data = SyntheticImages.WriteIdxDirectory(directory.File("data"));
        string run = directory.File("run");
        CliOutcome train = CliHost.Run("train", "gsn", "--data", data, "--steps", "20", "--set", "hidden=32", "--set", "burnin=5", "--out", run, "--progress", "none");
        Assert.True(train.Code == 0, train.Error);
        CliOutcome eval = CliHost.Run("eval", run, "--json", "--progress", "none", "--parzen-samples", "300");
        Assert.True(eval.Code == 0, eval.Error);
        using var report = JsonDocument.Parse(eval.LastLine);
        JsonElement root = report.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("nll_nats").ValueKind);
        Assert.True(double.IsFinite(root.GetProperty("parzen_log_likelihood_nats").GetDouble()));
        Assert.Contains("Parzen", root.GetProperty("parzen_note").GetString());
        Assert.Equal(root.GetProperty("examples").GetInt64(), root.GetProperty("parzen_validation_examples").GetInt64() + root.GetProperty("parzen_test_examples").GetInt64());
        Assert.Equal(0, CliHost.Run("chain", run, "--count", "2", "--snapshots", "3", "--thinning", "2").Code);
        CliOutcome skipped = CliHost.Run("eval", run, "--json", "--progress", "none", "--parzen-samples", "0");
        Assert.True(skipped.Code == 0, skipped.Error);
        using var skippedReport = JsonDocument.Parse(skipped.LastLine);
        Assert.False(skippedReport.RootElement.TryGetProperty("parzen_log_likelihood_nats", out JsonElement parzen) && parzen.ValueKind != JsonValueKind.Null);
    }

    [Fact]
    public void Chain_refuses_models_without_a_markov_chain()
    {
        using var directory = new TempDirectory();
        string run = directory.File("vae");
        Assert.Equal(0, CliHost.Run("train", "vae", "--data", "toy:moons", "--steps", "3", "--out", run, "--progress", "none").Code);
        CliOutcome chain = CliHost.Run("chain", run);
        Assert.Equal(2, chain.Code);
        Assert.Contains("Markov chain", chain.Error);
    }
}
