using System.Diagnostics;
using System.Text.Json;
using GenerativeSharp.Training;

namespace GenerativeSharp.Tests.Cli;

/// <summary>
/// A run directory has one writer, is checked before anything is written, and survives signals: the
/// accidents of issue "A run cannot be corrupted" (concurrent trains, bad --out, SIGTERM, stale temporaries).
/// </summary>
public sealed class RunDirectoryTests
{
    private static readonly string[] Quick = ["--set", "hidden=8", "--progress", "none"];

    [Fact]
    public void A_second_writer_is_refused_in_one_line_naming_the_holder()
    {
        using var directory = new TempDirectory();
        string run = directory.File("run");
        using (RunDirectoryLock.Acquire(run))
        {
            CliOutcome second = CliHost.Run([.. new[] { "train", "vae", "--data", "toy:moons", "--steps", "3", "--out", run }, .. Quick]);
            Assert.Equal(2, second.Code);
            Assert.Contains($"being written by another gensharp train (PID {Environment.ProcessId})", second.Error);
            Assert.Single(second.Error.Trim().Split('\n'));
            Assert.False(File.Exists(Path.Combine(run, "metrics.jsonl")));
        }
        Assert.False(Directory.Exists(run), "the lock removes the directory it created when nothing was written");
        Assert.Equal(0, CliHost.Run([.. new[] { "train", "vae", "--data", "toy:moons", "--steps", "3", "--out", run }, .. Quick]).Code);
        Assert.Equal(["checkpoint.safetensors", "metrics.jsonl", "samples.png"], Directory.GetFiles(run).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Two_concurrent_train_processes_leave_one_consistent_run()
    {
        using var directory = new TempDirectory();
        string run = directory.File("run");
        Process[] both = [StartCli("train", "vae", "--data", "toy:moons", "--steps", "300", "--out", run, "--progress", "none"),
            StartCli("train", "realnvp", "--data", "toy:moons", "--steps", "300", "--out", run, "--progress", "none")];
        string[] errors = await Task.WhenAll(both.Select(p => p.StandardError.ReadToEndAsync()));
        foreach (Process p in both) await p.WaitForExitAsync();
        int[] codes = both.Select(p => p.ExitCode).ToArray();
        Assert.True(codes.Count(c => c == 0) == 1 && codes.Count(c => c == 2) == 1, $"exit codes {string.Join(", ", codes)}: {string.Join(" | ", errors)}");
        Assert.Contains("being written by another gensharp train (PID", errors[Array.IndexOf(codes, 2)]);
        foreach (string line in File.ReadAllLines(Path.Combine(run, "metrics.jsonl")))
            JsonDocument.Parse(line).Dispose();                                             // no torn lines
        string winner = Array.IndexOf(codes, 0) == 0 ? "vae" : "realnvp";
        CliOutcome eval = CliHost.Run("eval", run, "--json", "--limit", "100", "--progress", "none", "--quality-samples", "0");
        Assert.Equal(winner, JsonDocument.Parse(eval.LastLine).RootElement.GetProperty("model").GetString());
        foreach (Process p in both) p.Dispose();
    }

    [Fact]
    public async Task Sigterm_saves_a_checkpoint_and_exits_143()
    {
        using var directory = new TempDirectory();
        string run = directory.File("run");
        using Process train = StartCli("train", "vae", "--data", "toy:moons", "--steps", "1000000", "--out", run, "--progress", "none");
        Task<string> error = train.StandardError.ReadToEndAsync();
        string metrics = Path.Combine(run, "train.pid");
        for (int i = 0; i < 600 && !File.Exists(metrics); i++) await Task.Delay(100);
        await Task.Delay(3000);                                                             // well into training
        using (Process kill = Process.Start("kill", ["-TERM", train.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!) await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await train.WaitForExitAsync(timeout.Token);
        Assert.True(train.ExitCode == 143, $"exit {train.ExitCode}: {await error}");
        Assert.Contains("interrupted at step", await error);
        Assert.True(File.Exists(Path.Combine(run, "checkpoint.safetensors")));
        Assert.False(File.Exists(Path.Combine(run, "train.lock")));
    }

    [Fact]
    public void Ctrl_c_says_where_the_checkpoint_is_even_without_progress()
    {
        using var directory = new TempDirectory();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        CliOutcome outcome = CliHost.Run(cancel.Token, [.. new[] { "train", "vae", "--data", "toy:moons", "--steps", "50", "--out", directory.File("run") }, .. Quick]);
        Assert.Equal(130, outcome.Code);
        Assert.Contains("interrupted at step 0; checkpoint saved in", outcome.Error);
    }

    [Fact]
    public void Temporaries_left_by_a_killed_writer_are_removed_at_the_next_start()
    {
        using var directory = new TempDirectory();
        string run = directory.File("run");
        Assert.Equal(0, CliHost.Run([.. new[] { "train", "vae", "--data", "toy:moons", "--steps", "3", "--out", run }, .. Quick]).Code);
        string stale = Path.Combine(run, "checkpoint.safetensors.tmp-0123456789abcdef");
        File.WriteAllText(stale, "half a checkpoint");
        Assert.Equal(0, CliHost.Run("train", "vae", "--data", "toy:moons", "--steps", "5", "--out", run, "--resume", "--progress", "none").Code);
        Assert.False(File.Exists(stale));
    }

    public static TheoryData<string> BadOutputs => new() { "file", "empty", "checkpoint-is-a-directory", "proc" };

    [Theory]
    [MemberData(nameof(BadOutputs))]
    public void A_bad_out_is_refused_in_one_line_before_anything_is_written(string kind)
    {
        using var directory = new TempDirectory();
        string target = kind switch
        {
            "file" => directory.File("a-file"),
            "empty" => "",
            "checkpoint-is-a-directory" => directory.File("run"),
            _ => "/proc/gensharp-run",
        };
        if (kind == "file") File.WriteAllText(target, "x");
        if (kind == "checkpoint-is-a-directory") Directory.CreateDirectory(Path.Combine(target, "checkpoint.safetensors"));
        string[] before = Directory.GetFileSystemEntries(directory.Path, "*", SearchOption.AllDirectories);
        CliOutcome outcome = CliHost.Run([.. new[] { "train", "vae", "--data", "toy:moons", "--steps", "3", "--out", target }, .. Quick]);
        Assert.Equal(2, outcome.Code);
        Assert.Single(outcome.Error.Trim().Split('\n'));
        Assert.DoesNotContain("internal error", outcome.Error);
        Assert.Equal(before, Directory.GetFileSystemEntries(directory.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_model_too_large_for_the_machine_is_refused_before_it_is_allocated()
    {
        using var directory = new TempDirectory();
        string run = directory.File("run");
        using Process train = StartCli("train", "vae", "--data", "toy:moons", "--steps", "2", "--set", "hidden=100000", "--set", "depth=10", "--out", run, "--progress", "none");
        string error = await train.StandardError.ReadToEndAsync();
        await train.WaitForExitAsync();
        Assert.True(train.ExitCode == 2, error);
        Assert.Matches(@"^gensharp: this vae has [0-9.]+ GiB of weights; training needs about [0-9.]+ GiB, more than the [0-9.]+ GiB of memory available", error);
        Assert.False(Directory.Exists(run));

        // A checkpoint whose options were changed (and its checksum recomputed) is sized before it is built too.
        Assert.Equal(0, CliHost.Run([.. new[] { "train", "vae", "--data", "toy:moons", "--steps", "2", "--out", run }, .. Quick]).Code);
        Training.CheckpointValidationTests.Resign(Path.Combine(run, "checkpoint.safetensors"),
            metadata => metadata["gensharp_options"] = metadata["gensharp_options"].Replace("\"Hidden\":8", "\"Hidden\":2000000000"), _ => { });
        using Process eval = StartCli("eval", run, "--progress", "none");
        string evalError = await eval.StandardError.ReadToEndAsync();
        await eval.WaitForExitAsync();
        Assert.True(eval.ExitCode == 2, evalError);
        Assert.Contains("too large to address", evalError);
    }

    /// <summary>The command line as its own process (the build next to the tests), for signals and concurrency.</summary>
    internal static Process StartCli(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "gensharp.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["OMP_NUM_THREADS"] = "1";
        return Process.Start(start)!;
    }
}
