namespace GenerativeSharp.Tests.Cli;

public sealed class ConditionalGanCommandTests
{
    /// <summary>Trains a tiny 4-class cgan on synthetic labelled IDX images; returns its run directory.</summary>
    private static string TrainSmallCgan(TempDirectory directory, int steps)
    {
        string data = SyntheticImages.WriteIdxDirectory(directory.File("data"));   // labels 0..3
        string run = directory.File("run");
        CliOutcome train = CliHost.Run("train", "cgan", "--data", data, "--steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--out", run, "--batch-size", "16", "--set", "classes=4", "--set", "hidden=8", "--set", "latent=3", "--progress", "none");
        Assert.True(train.Code == 0, train.Error);
        return run;
    }

    [Fact]
    public void Train_cgan_on_labelled_images_then_sample_one_class()
    {
        using var directory = new TempDirectory();
        string run = TrainSmallCgan(directory, steps: 4);
        Assert.True(File.Exists(Path.Combine(run, "checkpoint.safetensors")));

        CliOutcome sample = CliHost.Run("sample", run, "--label", "2", "--count", "4", "--out", directory.File("two.png"));
        Assert.True(sample.Code == 0, sample.Error);
        Assert.True(File.Exists(directory.File("two.png")));

        CliOutcome bad = CliHost.Run("sample", run, "--label", "9", "--out", directory.File("nine.png"));
        Assert.Equal(2, bad.Code);
        Assert.Contains("--label 9", bad.Error);
    }

    [Fact]
    public void Breed_on_a_cgan_carries_class_genes_and_repeats()
    {
        using var directory = new TempDirectory();
        string run = TrainSmallCgan(directory, steps: 2);
        CliOutcome one = CliHost.Run("breed", run, "--parents", "1,2", "--children", "3", "--out", directory.File("a.png"));
        CliOutcome two = CliHost.Run("breed", run, "--parents", "1,2", "--children", "3", "--out", directory.File("b.png"));
        Assert.True(one.Code == 0, one.Error);
        Assert.Equal(one.Out.Replace("a.png", "b.png"), two.Out);
        Assert.Equal(File.ReadAllBytes(directory.File("a.png")), File.ReadAllBytes(directory.File("b.png")));
        Assert.Contains("  1: class ", one.Out);
        Assert.Equal(5, one.Out.Split('\n').Count(l => l.StartsWith("  ", StringComparison.Ordinal) && l.Contains(": class")));
        string child = one.Out.Split("children ")[1].Split(',')[0].Trim();
        CliOutcome next = CliHost.Run("breed", run, "--parents", $"{child},1", "--children", "2", "--out", directory.File("c.png"));
        Assert.True(next.Code == 0, next.Error);
        // A child's genome (code + class genes) is read the same way by interpolate --seeds.
        CliOutcome walk = CliHost.Run("interpolate", run, "--seeds", $"{child},1", "--steps", "4", "--out", directory.File("walk.png"));
        Assert.True(walk.Code == 0, walk.Error);
        Assert.True(File.Exists(directory.File("walk.png")));
    }

    [Theory]
    [InlineData("cgan")]
    [InlineData("gated-pixelcnn")]
    public void Training_labels_outside_the_classes_are_refused_before_the_first_step(string recipe)
    {
        using var directory = new TempDirectory();
        string data = SyntheticImages.WriteIdxDirectory(directory.File("data"));   // labels 0..3
        CliOutcome train = CliHost.Run("train", recipe, "--data", data, "--steps", "1", "--out", directory.File("run"),
            "--set", "classes=2", "--progress", "none");
        Assert.Equal(2, train.Code);
        Assert.Contains("training labels run from 0 to 3", train.Error);
        Assert.False(File.Exists(Path.Combine(directory.File("run"), "checkpoint.safetensors")));
    }

    [Fact]
    public void Bench_runs_cgan_with_class_labels()
    {
        CliOutcome bench = CliHost.Run("bench", "cgan", "--json", "--repeats", "2");
        Assert.True(bench.Code == 0, bench.Error);
        Assert.Contains("\"cgan\"", bench.LastLine);
    }

    [Fact]
    public void Train_cgan_on_toy_points_is_refused()
    {
        using var directory = new TempDirectory();
        CliOutcome train = CliHost.Run("train", "cgan", "--data", "toy:moons", "--steps", "2", "--out", directory.File("run"), "--progress", "none");
        Assert.Equal(2, train.Code);
        Assert.Contains("labels", train.Error);
    }
}
