using System.Diagnostics;

namespace GenerativeSharp.Tests.Cli;

/// <summary>The README's quick start, run as a user runs it: the ./gensharp wrapper in a fresh directory.</summary>
public sealed class ReadmeCommandTests
{
    [Fact]
    public void Readme_quick_start_names_both_commands()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        Assert.Contains("./gensharp quickstart", readme);
        Assert.Contains("dotnet test", readme);
    }

    [Fact]
    public async Task Quickstart_through_the_wrapper_writes_samples_and_a_report()
    {
        using var directory = new TempDirectory();
        var start = new ProcessStartInfo("bash", ["-c", $"'{RepositoryRoot.Path}/gensharp' quickstart --progress plain"])
        {
            WorkingDirectory = directory.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await error);
        string run = Path.Combine(directory.Path, "runs", "quickstart");
        foreach (string file in new[] { "samples.png", "interpolation.png", "loss.png", "report.md", "checkpoint.safetensors" })
            Assert.True(File.Exists(Path.Combine(run, file)), $"{file} missing; stdout: {output}");
        Assert.Contains("test NLL", output);
    }
}
