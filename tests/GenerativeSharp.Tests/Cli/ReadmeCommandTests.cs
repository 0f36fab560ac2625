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
    public void Readme_synopsis_lists_every_option_of_every_command()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        int start = readme.IndexOf("## The command line", StringComparison.Ordinal);
        int open = readme.IndexOf("```\n", start, StringComparison.Ordinal) + 4;
        string synopsis = readme[open..readme.IndexOf("```", open, StringComparison.Ordinal)];
        // One entry per command: its first line and the indented lines that continue it.
        var entries = System.Text.RegularExpressions.Regex.Split(synopsis, @"\n(?=gensharp )")
            .Select(e => e.Trim()).Where(e => e.StartsWith("gensharp ", StringComparison.Ordinal))
            .ToDictionary(e => e.Split(' ')[1], e => e);
        foreach (string command in new[] { "models", "train", "sample", "eval", "interpolate", "chain", "complete", "bench", "breed", "features", "translate", "quickstart", "export", "import", "serve" })
        {
            Assert.True(entries.ContainsKey(command), $"README synopsis lacks 'gensharp {command}'");
            string help = CliHost.Run(command, "--help").Out;
            string options = help[help.IndexOf("Options:", StringComparison.Ordinal)..];
            foreach (System.Text.RegularExpressions.Match option in System.Text.RegularExpressions.Regex.Matches(options, @"(?m)^\s+(?:-\S+, )*(--[a-z][a-z-]*)"))
            {
                string name = option.Groups[1].Value;
                if (name == "--help") continue;
                Assert.True(entries[command].Contains(name + " ", StringComparison.Ordinal) || entries[command].Contains(name + "]", StringComparison.Ordinal)
                    || entries[command].Contains(name + "\n", StringComparison.Ordinal) || entries[command].EndsWith(name, StringComparison.Ordinal),
                    $"README synopsis of 'gensharp {command}' does not list {name}");
            }
        }
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
