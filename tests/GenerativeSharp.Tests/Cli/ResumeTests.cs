namespace GenerativeSharp.Tests.Cli;

/// <summary>--resume continues the same run: its seed, data, binarization and rate come from the checkpoint.</summary>
public sealed class ResumeTests
{
    private static readonly string[] Quick = ["--set", "hidden=8", "--progress", "none"];

    [Fact]
    public void A_resume_without_the_seed_continues_the_seeded_run_exactly()
    {
        using var directory = new TempDirectory();
        string straight = directory.File("straight"), split = directory.File("split");
        Assert.Equal(0, CliHost.Run([.. new[] { "train", "vae", "--data", "toy:moons", "--steps", "12", "--seed", "5", "--out", straight }, .. Quick]).Code);
        Assert.Equal(0, CliHost.Run([.. new[] { "train", "vae", "--data", "toy:moons", "--steps", "5", "--seed", "5", "--out", split }, .. Quick]).Code);
        CliOutcome resumed = CliHost.Run("train", "vae", "--data", "toy:moons", "--steps", "12", "--out", split, "--resume", "--progress", "none");
        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "checkpoint.safetensors")), File.ReadAllBytes(Path.Combine(split, "checkpoint.safetensors")));
    }

    [Theory]
    [InlineData("--lr", "0.5", "a resumed run keeps its learning rate")]
    [InlineData("--binarize", "static", "a resumed run keeps its binarization")]
    [InlineData("--seed", "6", "a resumed run keeps its seed")]
    [InlineData("--batch-size", "7", "a resumed run keeps its batch size")]
    public void A_flag_that_contradicts_the_run_is_refused_in_one_line(string flag, string value, string expected)
    {
        using var directory = new TempDirectory();
        string run = directory.File("run");
        Assert.Equal(0, CliHost.Run([.. new[] { "train", "vae", "--data", "toy:moons", "--steps", "4", "--out", run }, .. Quick]).Code);
        byte[] before = File.ReadAllBytes(Path.Combine(run, "checkpoint.safetensors"));
        CliOutcome resumed = CliHost.Run("train", "vae", "--data", "toy:moons", "--steps", "8", "--out", run, "--resume", flag, value, "--progress", "none");
        Assert.Equal(2, resumed.Code);
        Assert.Contains(expected, resumed.Error);
        Assert.Single(resumed.Error.Trim().Split('\n'));
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(run, "checkpoint.safetensors")));
    }
}
