using System.Diagnostics;
using GenerativeSharp.Distributed;
using Xunit.Abstractions;

namespace GenerativeSharp.Tests.Distributed;

/// <summary>
/// How a data-parallel job ends when something goes wrong: a killed rank makes mpirun exit non-zero within
/// <see cref="DeadRankLimit"/> (measured about 2 s here), never hang; a stuck rank does too once the collective timeout has
/// passed; Ctrl-C on mpirun stops every rank after the same step
/// with one checkpoint that resumes; ranks that built different models refuse before the first step.
/// </summary>
public sealed class DataParallelFailureTests(ITestOutputHelper output)
{
    /// <summary>The longest a job may take to end after one of its ranks is killed (docs/scaling.md states it).</summary>
    public static readonly TimeSpan DeadRankLimit = TimeSpan.FromSeconds(30);

    private static readonly string[] LongRun = ["train", "vae", "--data", "toy:moons", "--steps", "1000000", "--batch-size", "16",
        "--set", "hidden=8", "--progress", "none", "--tensorboard", "off", "--distributed", "mpi"];

    [MpiFact]
    public void AKilledRankEndsTheJobWithAnError()
    {
        using var temp = new TempDirectory();
        using Process job = StartTraining(temp.File("run"), out Func<string> log);
        int[] ranks = Children(job.Id);
        Assert.True(ranks.Length == 2, $"expected 2 ranks under mpirun, found {ranks.Length}");
        var clock = Stopwatch.StartNew();
        Signal("KILL", ranks[^1]);
        bool ended = job.WaitForExit(DeadRankLimit);
        if (!ended) job.Kill(entireProcessTree: true);
        output.WriteLine($"mpirun ended {clock.Elapsed.TotalSeconds:F1} s after a rank was killed, exit code {(ended ? job.ExitCode : -1)}");
        Assert.True(ended, $"mpirun still ran {DeadRankLimit} after a rank was killed:\n{log()}");
        Assert.NotEqual(0, job.ExitCode);
    }

    /// <summary>
    /// A rank alive but stuck (SIGSTOP: it neither answers nor exits, so mpirun sees nothing wrong) holds the other in its next
    /// collective until the watchdog's limit (here 5 s) has passed; the other then says so in one line and aborts the job.
    /// </summary>
    [MpiFact]
    public void AStuckRankEndsTheJobAfterTheCollectiveTimeout()
    {
        using var temp = new TempDirectory();
        using Process job = StartTraining(temp.File("run"), out Func<string> log, $"{CollectiveWatchdog.VariableName}=5");
        int[] ranks = Children(job.Id);
        Assert.True(ranks.Length == 2, $"expected 2 ranks under mpirun, found {ranks.Length}");
        Assert.False(job.HasExited, $"the job ended before a rank was stopped:\n{log()}");
        var clock = Stopwatch.StartNew();
        Signal("STOP", ranks[^1]);
        try
        {
            bool ended = job.WaitForExit(TimeSpan.FromSeconds(5) + DeadRankLimit);
            if (!ended) job.Kill(entireProcessTree: true);
            output.WriteLine($"mpirun ended {clock.Elapsed.TotalSeconds:F1} s after a rank was stopped, exit code {(ended ? job.ExitCode : -1)}");
            Assert.True(ended, $"mpirun still ran {5 + DeadRankLimit.TotalSeconds} s after a rank was stopped:\n{log()}");
            job.WaitForExit();
            Assert.NotEqual(0, job.ExitCode);
            string message = log().Split('\n').FirstOrDefault(line => line.Contains("has not returned after")) ?? "";
            output.WriteLine(message);
            Assert.True(message.Length > 0, $"no rank said that its collective timed out:\n{log()}");
        }
        finally
        {
            if (Directory.Exists($"/proc/{ranks[^1]}")) Signal("KILL", ranks[^1]);      // the rank this test stopped, should it outlive the job
        }
    }

    [MpiFact]
    public void CtrlCStopsEveryRankAfterTheSameStepWithOneCheckpoint()
    {
        using var temp = new TempDirectory();
        string run = temp.File("run");
        using Process job = StartTraining(run, out Func<string> log);
        Signal("INT", job.Id);
        bool ended = job.WaitForExit(TimeSpan.FromSeconds(60));
        if (!ended) job.Kill(entireProcessTree: true);
        Assert.True(ended, $"mpirun still ran a minute after Ctrl-C:\n{log()}");
        job.WaitForExit();
        string text = log();
        output.WriteLine(text);
        string[] interrupted = [.. text.Split('\n').Where(line => line.StartsWith("interrupted at step ", StringComparison.Ordinal))];
        Assert.True(interrupted.Length == 1, text);
        Assert.True(File.Exists(Path.Combine(run, "checkpoint.safetensors")), text);
        long step = long.Parse(interrupted[0]["interrupted at step ".Length..].Split(';')[0]);
        // Every rank stopped after the step rank 0 saved: the checkpoint resumes under the same ranks.
        string[] resume = ["train", "vae", "--data", "toy:moons", "--steps", (step + 2).ToString(), "--progress", "none", "--tensorboard", "off",
            "--distributed", "mpi", "--out", run, "--resume"];
        string resumed = MpiJob.RunOk(2, resume);
        Assert.Contains($"resuming {run} at step {step} of {step + 2}", resumed);
    }

    [MpiFact]
    public void RanksWithDifferentWeightsRefuseBeforeTheFirstStep()
    {
        using var temp = new TempDirectory();
        string run = temp.File("run");
        string[] Rank(string seed) => ["train", "vae", "--data", "toy:moons", "--steps", "3", "--seed", seed, "--set", "hidden=8",
            "--progress", "none", "--tensorboard", "off", "--distributed", "mpi", "--out", run];
        var (code, stdout, stderr) = MpiJob.Run(MpiJob.PerRankArguments([Rank("1"), Rank("2")]), TimeSpan.FromMinutes(2));
        Assert.NotEqual(0, code);
        Assert.Contains("hold different model weights before the first step", stdout + stderr);
        Assert.False(File.Exists(Path.Combine(run, "checkpoint.safetensors")));
    }

    /// <summary>Starts a long 2-rank run and returns once every rank has taken its first 50 steps.</summary>
    private static Process StartTraining(string run, out Func<string> log, params string[] environment)
    {
        Process job = MpiJob.Start(MpiJob.Arguments(2, [.. LongRun, "--out", run], environment));
        var text = new System.Text.StringBuilder();
        var started = new ManualResetEventSlim();
        void Collect(object _, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (text) text.AppendLine(e.Data);
            if (e.Data.Contains("data-parallel over 2 MPI ranks")) started.Set();
        }
        job.OutputDataReceived += Collect;
        job.ErrorDataReceived += Collect;
        job.BeginOutputReadLine();
        job.BeginErrorReadLine();
        log = () => { lock (text) return text.ToString(); };
        Assert.True(started.Wait(TimeSpan.FromMinutes(2)), "the job did not start training within 2 minutes");
        // Rank 0 announces the run before any collective, so a slower rank may still be starting (its signal handlers not
        // yet installed): wait for the first metrics line, written after 50 steps that every rank took.
        string metrics = Path.Combine(run, "metrics.jsonl");
        var clock = Stopwatch.StartNew();
        while (!(File.Exists(metrics) && new FileInfo(metrics).Length > 0))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2) && !job.HasExited, $"the job logged no metrics within 2 minutes:\n{log()}");
            Thread.Sleep(100);
        }
        return job;
    }

    private static int[] Children(int pid) =>
        Directory.GetDirectories($"/proc/{pid}/task")
            .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(int.Parse).Order().ToArray();

    private static void Signal(string signal, int pid)
    {
        using Process kill = Process.Start("kill", [$"-{signal}", pid.ToString()])!;
        kill.WaitForExit();
    }
}
