namespace GenerativeSharp.Tests.Cli;

public sealed class ConditionalDiffusionCommandTests
{
    /// <summary>Trains a tiny ddpm on synthetic labelled IDX images (labels 0..3), conditional when <paramref name="classes"/> &gt; 0.</summary>
    private static string TrainTinyDdpm(TempDirectory directory, int classes)
    {
        string data = SyntheticImages.WriteIdxDirectory(directory.File("data"), trainCount: 32, testCount: 8);
        string run = directory.File(classes > 0 ? "conditional" : "plain");
        string[] conditional = classes > 0 ? ["--set", $"classes={classes}"] : [];
        CliOutcome train = CliHost.Run(["train", "ddpm", "--data", data, "--steps", "2", "--batch-size", "8", "--out", run,
            "--set", "timesteps=10", "--set", "channels=8", "--set", "attention=false", .. conditional, "--progress", "none"]);
        Assert.True(train.Code == 0, train.Error);
        return run;
    }

    [Fact]
    public void A_conditional_ddpm_samples_a_class_with_guidance_and_an_unconditional_one_refuses_guidance()
    {
        using var directory = new TempDirectory();
        string run = TrainTinyDdpm(directory, classes: 4);
        CliOutcome guided = CliHost.Run("sample", run, "--label", "1", "--guidance", "2", "--count", "4", "--out", directory.File("g.png"));
        Assert.True(guided.Code == 0, guided.Error);
        CliOutcome again = CliHost.Run("sample", run, "--label", "1", "--guidance", "2", "--count", "4", "--out", directory.File("h.png"));
        Assert.Equal(File.ReadAllBytes(directory.File("g.png")), File.ReadAllBytes(directory.File("h.png")));
        CliOutcome ancestral = CliHost.Run("sample", run, "--label", "3", "--guidance", "1", "--sampler", "ddpm", "--count", "4", "--out", directory.File("a.png"));
        Assert.True(ancestral.Code == 0, ancestral.Error);
        Assert.Equal(0, CliHost.Run("sample", run, "--label", "0", "--count", "4", "--out", directory.File("plain.png")).Code);
        CliOutcome noLabel = CliHost.Run("sample", run, "--guidance", "2", "--out", directory.File("x.png"));
        Assert.Equal(2, noLabel.Code);
        Assert.Contains("--label", noLabel.Error);
        Assert.Equal(2, CliHost.Run("sample", run, "--label", "4", "--guidance", "2", "--out", directory.File("y.png")).Code);
        CliOutcome eval = CliHost.Run("eval", run, "--json", "--limit", "8", "--bound-timesteps", "10", "--quality-samples", "0", "--progress", "none");
        Assert.True(eval.Code == 0, eval.Error);
        using (var report = System.Text.Json.JsonDocument.Parse(eval.LastLine))
        {
            Assert.Equal("bound", report.RootElement.GetProperty("nll_kind").GetString());
            Assert.Contains("null class", report.RootElement.GetProperty("bound_note").GetString());
        }

        string plain = TrainTinyDdpm(directory, classes: 0);
        CliOutcome refused = CliHost.Run("sample", plain, "--label", "1", "--guidance", "2", "--out", directory.File("z.png"));
        Assert.Equal(2, refused.Code);
        Assert.Contains("--guidance", refused.Error);
        Assert.Single(refused.Error.Trim().Split('\n'));
    }

    [Fact]
    public void Per_class_draws_one_row_per_class_with_guidance_reproducibly()
    {
        using var directory = new TempDirectory();
        string run = TrainTinyDdpm(directory, classes: 4);
        CliOutcome rows = CliHost.Run("sample", run, "--per-class", "--count", "3", "--guidance", "2", "--steps", "4", "--out", directory.File("rows.png"));
        Assert.True(rows.Code == 0, rows.Error);
        Assert.Contains("one row per class", rows.Out);
        Assert.Equal(0, CliHost.Run("sample", run, "--per-class", "--count", "3", "--guidance", "2", "--steps", "4", "--out", directory.File("again.png")).Code);
        Assert.Equal(File.ReadAllBytes(directory.File("rows.png")), File.ReadAllBytes(directory.File("again.png")));
        Assert.Equal(0, CliHost.Run("sample", run, "--label", "1", "--count", "9", "--steps", "4", "--out", directory.File("square.png")).Code);
        var (rowsWidth, rowsHeight) = PngSize(directory.File("rows.png"));
        var (squareWidth, squareHeight) = PngSize(directory.File("square.png"));
        Assert.Equal(squareWidth, rowsWidth);                                    // 3 columns each
        Assert.Equal(4.0 / 3.0, (double)(rowsHeight - 2) / (squareHeight - 2), precision: 1);   // 4 class rows against 3 rows

        CliOutcome withLabel = CliHost.Run("sample", run, "--per-class", "--label", "1");
        Assert.Equal(2, withLabel.Code);
        Assert.Contains("drop --label", withLabel.Error);
        string plain = TrainTinyDdpm(directory, classes: 0);
        CliOutcome unconditional = CliHost.Run("sample", plain, "--per-class");
        Assert.Equal(2, unconditional.Code);
        Assert.Contains("not class-conditional", unconditional.Error);
    }

    /// <summary>Width and height from a PNG's IHDR chunk.</summary>
    private static (int Width, int Height) PngSize(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)),
            System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }

    [Fact]
    public void Classes_on_unlabelled_points_are_refused_in_one_line()
    {
        using var directory = new TempDirectory();
        CliOutcome train = CliHost.Run("train", "ddpm", "--data", "toy:8gaussians", "--steps", "1", "--out", directory.File("run"),
            "--set", "classes=4", "--progress", "none");
        Assert.Equal(2, train.Code);
        Assert.Contains("needs labelled data", train.Error);
        Assert.Single(train.Error.Trim().Split('\n'));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void Breed_and_interpolate_run_through_the_ddim_latent_and_repeat(int classes)
    {
        using var directory = new TempDirectory();
        string run = TrainTinyDdpm(directory, classes);
        CliOutcome one = CliHost.Run("breed", run, "--parents", "3,17", "--children", "2", "--out", directory.File("a.png"));
        Assert.True(one.Code == 0, one.Error);
        CliOutcome two = CliHost.Run("breed", run, "--parents", "3,17", "--children", "2", "--out", directory.File("b.png"));
        Assert.True(two.Code == 0, two.Error);
        Assert.Equal(File.ReadAllBytes(directory.File("a.png")), File.ReadAllBytes(directory.File("b.png")));
        CliOutcome walk = CliHost.Run("interpolate", run, "--seeds", "3,17", "--spherical", "--steps", "3", "--out", directory.File("walk.png"));
        Assert.True(walk.Code == 0, walk.Error);
        Assert.True(File.Exists(directory.File("walk.png")));
        CliOutcome examples = CliHost.Run("interpolate", run, "--from", "0", "--to", "1", "--steps", "3", "--out", directory.File("ex.png"));
        Assert.True(examples.Code == 0, examples.Error);
    }
}
