using System.Diagnostics;

namespace GenerativeSharp.Tests;

/// <summary>
/// Runs the built command line (gensharp.dll beside the tests) as the ranks of an Open MPI job, with the flags a root user
/// in a container needs (--allow-run-as-root, --oversubscribe, shared memory without the single-copy mechanism), one
/// torch thread per rank.
/// </summary>
internal static class MpiJob
{
    /// <summary>mpirun's full path, or null where it is not on PATH.</summary>
    public static readonly string? Launcher = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(directory => Path.Combine(directory, "mpirun")).FirstOrDefault(File.Exists);

    private static string Cli => Path.Combine(AppContext.BaseDirectory, "gensharp.dll");

    /// <summary>mpirun's arguments for <paramref name="ranks"/> ranks of <c>gensharp ARGS</c>, each rank also given <paramref name="environment"/> (NAME=VALUE).</summary>
    public static string[] Arguments(int ranks, IEnumerable<string> args, params string[] environment) =>
        ["--allow-run-as-root", "--oversubscribe", "--mca", "btl", "self,vader", "-x", "OMP_NUM_THREADS=1",
         .. environment.SelectMany(variable => new[] { "-x", variable }), "-np", ranks.ToString(), "dotnet", Cli, .. args];

    /// <summary>An MPMD job: one rank per argument list (to give ranks different flags).</summary>
    public static string[] PerRankArguments(IReadOnlyList<string[]> perRank) =>
        ["--allow-run-as-root", "--oversubscribe", "--mca", "btl", "self,vader", "-x", "OMP_NUM_THREADS=1",
         .. perRank.SelectMany((args, i) => (string[])[.. (i > 0 ? new[] { ":" } : []), "-np", "1", "dotnet", Cli, .. args])];

    public static Process Start(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(Launcher ?? "mpirun") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["OMP_NUM_THREADS"] = "1";
        info.Environment["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none";   // containers without ptrace rights between processes
        return Process.Start(info)!;
    }

    /// <summary>Runs the job to its end (killed after <paramref name="timeout"/>): exit code and both outputs.</summary>
    public static (int Code, string Out, string Error) Run(IEnumerable<string> arguments, TimeSpan timeout)
    {
        using Process process = Start(arguments);
        Task<string> output = process.StandardOutput.ReadToEndAsync(), error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mpirun did not end within {timeout}: {string.Join(' ', arguments)}");
        }
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary><c>mpirun -np RANKS gensharp ARGS</c> to its end, failing the test on a non-zero exit.</summary>
    public static string RunOk(int ranks, params string[] args)
    {
        var (code, output, error) = Run(Arguments(ranks, args), TimeSpan.FromMinutes(4));
        Xunit.Assert.True(code == 0, $"mpirun exited {code}:\n{output}\n{error}");
        return output + error;
    }
}
