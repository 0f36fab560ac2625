using System.Text.Json;

namespace GenerativeSharp.Tests.Cli;

public sealed class DiffusionCommandTests
{
    /// <summary>A 4-step ddpm (T = 20, MLP 16 x 1) on toy:8gaussians in DIR/run.</summary>
    private static string TrainTinyEightGaussians(TempDirectory directory)
    {
        string run = directory.File("run");
        CliOutcome train = CliHost.Run("train", "ddpm", "--data", "toy:8gaussians", "--steps", "4", "--batch-size", "64", "--out", run,
            "--set", "timesteps=20", "--set", "hidden=16", "--set", "depth=1", "--progress", "none");
        Assert.True(train.Code == 0, train.Error);
        return run;
    }

    [Fact]
    public void Ddpm_trains_samples_with_ddim_and_ddpm_and_evaluates_its_bound()
    {
        using var directory = new TempDirectory();
        string run = TrainTinyEightGaussians(directory);
        Assert.True(File.Exists(Path.Combine(run, "samples.png")));

        CliOutcome ddim = CliHost.Run("sample", run, "--sampler", "ddim", "--steps", "5", "--count", "20", "--out", directory.File("ddim.png"));
        Assert.True(ddim.Code == 0, ddim.Error);
        Assert.True(File.Exists(directory.File("ddim.png")));
        CliOutcome ancestral = CliHost.Run("sample", run, "--sampler", "ddpm", "--count", "20", "--out", directory.File("ddpm.png"));
        Assert.True(ancestral.Code == 0, ancestral.Error);
        CliOutcome badSteps = CliHost.Run("sample", run, "--sampler", "ddpm", "--steps", "5");
        Assert.Equal(2, badSteps.Code);
        Assert.Equal(2, CliHost.Run("sample", run, "--sampler", "ddim", "--temperature", "0.5").Code);
        Assert.Equal(2, CliHost.Run("sample", run, "--sampler", "ddim", "--steps", "21").Code);   // more than T = 20

        CliOutcome eval = CliHost.Run("eval", run, "--json", "--limit", "50", "--bound-timesteps", "20", "--quality-samples", "100", "--progress", "none");
        Assert.True(eval.Code == 0, eval.Error);
        using var report = JsonDocument.Parse(eval.LastLine);
        JsonElement root = report.RootElement;
        Assert.Equal("bound", root.GetProperty("nll_kind").GetString());
        Assert.Equal(20, root.GetProperty("bound_timesteps").GetInt32());
        Assert.True(root.GetProperty("nll_std_err").GetDouble() > 0);
        Assert.True(root.TryGetProperty("kl_gap_nats", out _));
        Assert.Equal(8, root.GetProperty("modes").GetInt32());
    }

    [Fact]
    public void Eval_scores_the_samples_of_the_sampler_it_is_given_and_can_leave_out_the_bound()
    {
        using var directory = new TempDirectory();
        string run = TrainTinyEightGaussians(directory);
        JsonElement Eval(params string[] extra)
        {
            CliOutcome outcome = CliHost.Run(["eval", run, "--json", "--quality-samples", "200", "--likelihood", "off", "--progress", "none", .. extra]);
            Assert.True(outcome.Code == 0, outcome.Error);
            return JsonDocument.Parse(outcome.LastLine).RootElement.Clone();
        }
        JsonElement byDefault = Eval(), explicitDefault = Eval("--sampler", "ddim", "--steps", "20"), fewSteps = Eval("--steps", "3"),
            ancestral = Eval("--sampler", "ddpm");
        Assert.Equal("ddim, 20 steps, eta 0", byDefault.GetProperty("sampler").GetString());   // the default: min(50, T) DDIM steps
        Assert.Equal(JsonValueKind.Null, byDefault.GetProperty("nll_kind").ValueKind);        // --likelihood off: no bound
        Assert.False(byDefault.TryGetProperty("bound_timesteps", out _));
        Assert.Equal(byDefault.GetProperty("high_quality_share").GetDouble(), explicitDefault.GetProperty("high_quality_share").GetDouble());
        Assert.Equal("ddim, 3 steps, eta 0", fewSteps.GetProperty("sampler").GetString());
        Assert.NotEqual(byDefault.GetProperty("high_quality_share").GetDouble(), fewSteps.GetProperty("high_quality_share").GetDouble());
        Assert.Equal("ddpm, 20 steps (ancestral)", ancestral.GetProperty("sampler").GetString());

        CliOutcome bad = CliHost.Run("eval", run, "--likelihood", "maybe");
        Assert.Equal(2, bad.Code);
        Assert.Contains("--likelihood maybe", bad.Error);
        Assert.Equal(2, CliHost.Run("eval", run, "--sampler", "ddpm", "--steps", "5").Code);
    }

    [Fact]
    public void A_resumed_ddpm_run_draws_the_same_samples_as_an_uninterrupted_one()
    {
        using var directory = new TempDirectory();
        string[] common = ["--data", "toy:moons", "--batch-size", "256", "--set", "timesteps=20", "--set", "hidden=16", "--set", "depth=1", "--progress", "none"];
        string whole = directory.File("whole"), parts = directory.File("parts");
        Assert.Equal(0, CliHost.Run(["train", "ddpm", "--epochs", "2", "--out", whole, .. common]).Code);
        Assert.Equal(0, CliHost.Run(["train", "ddpm", "--epochs", "1", "--out", parts, .. common]).Code);
        CliOutcome resumed = CliHost.Run("train", "ddpm", "--data", "toy:moons", "--epochs", "2", "--out", parts, "--resume", "--progress", "none");
        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.Equal(0, CliHost.Run("sample", whole, "--count", "30", "--out", directory.File("a.png")).Code);
        Assert.Equal(0, CliHost.Run("sample", parts, "--count", "30", "--out", directory.File("b.png")).Code);
        Assert.Equal(File.ReadAllBytes(directory.File("a.png")), File.ReadAllBytes(directory.File("b.png")));
    }

    [Fact]
    public void Sampler_flags_on_a_model_that_is_not_a_diffusion_model_are_refused_in_one_line()
    {
        using var directory = new TempDirectory();
        string run = directory.File("vae");
        CliOutcome train = CliHost.Run("train", "vae", "--data", "toy:8gaussians", "--steps", "2", "--batch-size", "32", "--out", run,
            "--set", "hidden=8", "--progress", "none");
        Assert.True(train.Code == 0, train.Error);
        CliOutcome refused = CliHost.Run("sample", run, "--sampler", "ddim", "--steps", "5");
        Assert.Equal(2, refused.Code);
        Assert.Contains("not a diffusion model", refused.Error);
        Assert.Single(refused.Error.Trim().Split('\n'));
        CliOutcome evalRefused = CliHost.Run("eval", run, "--sampler", "ddim");
        Assert.Equal(2, evalRefused.Code);
        Assert.Contains("not a diffusion model", evalRefused.Error);
    }
}
