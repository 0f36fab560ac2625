using GenerativeSharp.Tests.Cli;

namespace GenerativeSharp.Tests.Distributed;

/// <summary>
/// A data-parallel checkpoint keeps every rank's generator: resumed under the same number of ranks the run is bit-exact;
/// under another number it goes on and says that it is not.
/// </summary>
public sealed class DataParallelResumeTests
{
    private static readonly string[] Resume = ["--data", "toy:moons", "--progress", "none", "--tensorboard", "off", "--distributed", "mpi"];
    private static readonly string[] Quick = [.. Resume, "--batch-size", "16", "--seed", "5", "--set", "hidden=8"];

    [MpiFact]
    public void ResumeUnderTheSameRanksIsBitExact()
    {
        using var temp = new TempDirectory();
        string straight = temp.File("straight"), split = temp.File("split");
        MpiJob.RunOk(2, ["train", "vae", "--steps", "12", "--out", straight, .. Quick]);
        MpiJob.RunOk(2, ["train", "vae", "--steps", "5", "--out", split, .. Quick]);
        string resumed = MpiJob.RunOk(2, ["train", "vae", "--steps", "12", "--out", split, "--resume", .. Resume]);
        Assert.Contains("resuming", resumed);
        Assert.DoesNotContain("not bit-exact", resumed);
        var (vector, _) = DataParallelEquivalenceTests.RelativeDifferences(
            Path.Combine(split, "checkpoint.safetensors"), Path.Combine(straight, "checkpoint.safetensors"));
        Assert.Equal(0, vector);
    }

    [MpiFact]
    public void ResumeUnderAnotherRankCountSaysItIsNotBitExact()
    {
        using var temp = new TempDirectory();
        string run = temp.File("run");
        MpiJob.RunOk(2, ["train", "vae", "--steps", "4", "--out", run, .. Quick]);
        CliOutcome alone = CliHost.Run("train", "vae", "--data", "toy:moons", "--steps", "8", "--out", run, "--resume", "--progress", "none", "--tensorboard", "off");
        Assert.True(alone.Code == 0, alone.Error);
        Assert.Contains("resuming a run of 2 ranks on 1", alone.Error);
        Assert.Contains("not bit-exact", alone.Error);
    }
}
