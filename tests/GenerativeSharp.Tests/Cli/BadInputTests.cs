using GenerativeSharp.Persistence;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Cli;

/// <summary>Every bad input: one line on standard error, exit code 2, no stack trace, nothing lost.</summary>
public sealed class BadInputTests : IClassFixture<BadInputTests.TrainedRun>
{
    private readonly TrainedRun run;

    public BadInputTests(TrainedRun run) => this.run = run;

    [Theory]
    [InlineData("unknown model 'pixelsnail'", "train", "pixelsnail", "--data", "toy:moons")]
    [InlineData("unknown dataset 'no-such-data'", "train", "vae", "--data", "no-such-data")]
    [InlineData("unknown toy density", "train", "vae", "--data", "toy:spiral")]
    [InlineData("--epochs 0", "train", "vae", "--data", "toy:moons", "--epochs", "0")]
    [InlineData("--lr -1", "train", "vae", "--data", "toy:moons", "--lr", "-1")]
    [InlineData("--batch-size", "train", "vae", "--data", "toy:moons", "--batch-size", "many")]
    [InlineData("not both", "train", "vae", "--data", "toy:moons", "--epochs", "2", "--steps", "3")]
    [InlineData("sometimes", "train", "vae", "--data", "toy:moons", "--binarize", "sometimes")]
    [InlineData("--progress loud", "train", "vae", "--data", "toy:moons", "--progress", "loud")]
    [InlineData("--device tpu", "train", "vae", "--data", "toy:moons", "--device", "tpu")]
    [InlineData("unknown setting 'width'", "train", "vae", "--data", "toy:moons", "--set", "width=3")]
    [InlineData("--set latent=-3", "train", "vae", "--data", "toy:moons", "--set", "latent=-3")]
    [InlineData("expected KEY=VALUE", "train", "vae", "--data", "toy:moons", "--set", "latent")]
    [InlineData("--set network=rnn", "train", "vae", "--data", "toy:moons", "--set", "network=rnn")]
    [InlineData("no such run directory", "sample", "/no/such/run")]
    [InlineData("no such run directory", "eval", "/no/such/run")]
    [InlineData("Unrecognized command or argument", "trian", "vae")]
    [InlineData("--device cuda", "train", "vae", "--data", "toy:moons", "--device", "cuda")]
    [InlineData("'NaN' for option '--steps' expected an integer", "train", "vae", "--data", "toy:moons", "--steps", "NaN")]
    [InlineData("needs more memory than this machine has (one tensor alone would take", "train", "vae", "--data", "toy:moons", "--steps", "1", "--set", "latent=1000000000")]
    public void Bad_arguments(string expected, params string[] args)
    {
        AssertBadInput(CliHost.Run(args), expected);
    }

    [Theory]
    [InlineData("--count 2000000000: one picture shows at most 1000000 points", "sample", "--count", "2000000000")]
    [InlineData("--samples 1000000000: at most 100000 importance samples", "eval", "--samples", "1000000000")]
    [InlineData("--quality-samples 2000000000: at most 1000000", "eval", "--quality-samples", "2000000000")]
    public void Sizes_beyond_what_a_command_can_do_are_refused(string expected, string command, params string[] args)
    {
        AssertBadInput(CliHost.Run([command, run.Directory, .. args]), expected);
    }

    [Theory]
    [InlineData("fifo")]
    [InlineData("zero")]
    [InlineData("directory")]
    public void A_checkpoint_that_is_not_a_regular_file_is_refused_at_once(string kind)
    {
        using var directory = new TempDirectory();
        string copy = directory.File("run");
        System.IO.Directory.CreateDirectory(copy);
        string checkpoint = Path.Combine(copy, "checkpoint.safetensors");
        switch (kind)
        {
            case "fifo":
                using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [checkpoint])!) mkfifo.WaitForExit();
                break;
            case "zero":
                File.CreateSymbolicLink(checkpoint, "/dev/zero");
                break;
            default:
                System.IO.Directory.CreateDirectory(checkpoint);
                break;
        }
        foreach (string[] args in new[] { new[] { "eval", copy, "--progress", "none" }, new[] { "sample", copy }, new[] { "train", "vae", "--data", "toy:moons", "--out", copy, "--resume", "--progress", "none" } })
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            CliOutcome outcome = CliHost.Run(args);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{args[0]} took {clock.Elapsed}");
            Assert.Equal(2, outcome.Code);
            Assert.DoesNotContain("internal error", outcome.Error);
        }
    }

    [Fact]
    public void Truncated_and_corrupt_idx_files()
    {
        using var directory = new TempDirectory();
        string data = SyntheticImages.WriteIdxDirectory(directory.File("data"), 16, 8);
        string images = Path.Combine(data, "train-images-idx3-ubyte.gz");
        byte[] gz = File.ReadAllBytes(images);
        File.WriteAllBytes(images, gz[..(gz.Length / 2)]);
        AssertBadInput(CliHost.Run("train", "vae", "--data", data, "--out", directory.File("r1")), "train-images-idx3-ubyte.gz");

        File.Delete(images);
        File.WriteAllBytes(Path.Combine(data, "train-images-idx3-ubyte"), [0, 0, 8, 3, 0, 0, 0, 16, 0, 0, 0, 12, 0, 0, 0, 12, 1, 2, 3]);
        AssertBadInput(CliHost.Run("train", "vae", "--data", data, "--out", directory.File("r2")), "truncated");

        File.WriteAllBytes(Path.Combine(data, "train-images-idx3-ubyte"), [1, 2, 3, 4, 5, 6, 7, 8]);
        AssertBadInput(CliHost.Run("train", "vae", "--data", data, "--out", directory.File("r3")), "train-images-idx3-ubyte");
        Assert.False(Directory.Exists(directory.File("r3")) && Directory.EnumerateFiles(directory.File("r3")).Any());
    }

    [Fact]
    public void A_missing_corrupt_or_foreign_checkpoint()
    {
        using var directory = new TempDirectory();
        AssertBadInput(CliHost.Run("sample", directory.Path), "no checkpoint");

        string copy = directory.File("copy");
        Directory.CreateDirectory(copy);
        byte[] bytes = File.ReadAllBytes(Path.Combine(run.Directory, "checkpoint.safetensors"));
        bytes[^100] ^= 0x01;
        File.WriteAllBytes(Path.Combine(copy, "checkpoint.safetensors"), bytes);
        AssertBadInput(CliHost.Run("eval", copy, "--samples", "2"), "checksum");

        string future = directory.File("future");
        Directory.CreateDirectory(future);
        using (var stream = File.Create(Path.Combine(future, "checkpoint.safetensors")))
        using (var weight = zeros(2, 2))
            SafeTensorsFile.Write(stream, new Dictionary<string, Tensor> { ["w"] = weight },
                new Dictionary<string, string> { ["gensharp_format"] = "99", ["data_sha256"] = new string('0', 64) });
        AssertBadInput(CliHost.Run("sample", future), "format 99");
    }

    [Fact]
    public void Training_into_an_existing_run_overwrites_nothing()
    {
        string checkpoint = Path.Combine(run.Directory, "checkpoint.safetensors");
        byte[] before = File.ReadAllBytes(checkpoint);
        AssertBadInput(CliHost.Run("train", "vae", "--data", "toy:moons", "--out", run.Directory), "--resume");
        AssertBadInput(CliHost.Run("train", "vae", "--data", "toy:circles", "--out", run.Directory, "--resume"), "toy:moons");
        AssertBadInput(CliHost.Run("train", "vae", "--data", "toy:moons", "--out", run.Directory, "--resume", "--set", "latent=9"), "--set");
        Assert.Equal(before, File.ReadAllBytes(checkpoint));
    }

    [Fact]
    public void Interpolating_points_is_refused_with_a_reason()
    {
        AssertBadInput(CliHost.Run("interpolate", run.Directory), "not image data");
    }

    private static void AssertBadInput(CliOutcome outcome, string expected)
    {
        Assert.Equal(2, outcome.Code);
        string[] lines = outcome.Error.TrimEnd().Split('\n');
        string last = lines[^1];
        Assert.StartsWith("gensharp: ", last);
        Assert.Contains(expected, last, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", outcome.Error);
    }

    /// <summary>One small toy run the checkpoint cases share.</summary>
    public sealed class TrainedRun : IDisposable
    {
        private readonly TempDirectory root = new();

        public TrainedRun()
        {
            Directory = root.File("run");
            CliOutcome outcome = CliHost.Run("train", "vae", "--data", "toy:moons", "--steps", "5", "--out", Directory, "--progress", "none");
            if (outcome.Code != 0) throw new InvalidOperationException(outcome.Error);
        }

        public string Directory { get; }

        public void Dispose() => root.Dispose();
    }
}
