using System.Diagnostics;

namespace GenerativeSharp.Tests.Packaging;

/// <summary>
/// The two packages as a user meets them, far from this repository's build files: the library
/// package referenced by a new console project (which must load TorchSharp's native library on
/// Debian 12 too: the fix travels in the package's buildTransitive/ targets), and the dotnet tool
/// installed into a tool path. Each test run packs its own prerelease version, so NuGet's caches
/// never hand back an older build.
/// </summary>
public sealed class PackagesOutsideTheRepositoryTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    public void Dispose()
    {
        _dir.Dispose();
        string cached = Path.Combine(GlobalPackagesFolder(), "generativesharp", _version);   // the consumer's restore cached it
        if (Directory.Exists(cached)) Directory.Delete(cached, recursive: true);
    }

    [Fact]
    public void The_library_package_and_the_tool_work_outside_the_repository()
    {
        string feed = _dir.File("feed");
        foreach (string project in new[] { "src/GenerativeSharp/GenerativeSharp.csproj", "src/GenerativeSharp.Cli/GenerativeSharp.Cli.csproj" })
            Run("dotnet", ["pack", Path.Combine(RepositoryRoot.Path, project), "-c", "Release", "-o", feed,
                "--artifacts-path", _dir.File("artifacts"), $"-p:Version={_version}"], RepositoryRoot.Path);

        // A console project that references the library package and trains a few steps through it.
        string consumer = Directory.CreateDirectory(_dir.File("consumer")).FullName;
        File.WriteAllText(Path.Combine(consumer, "consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="GenerativeSharp" Version="{_version}" />
                <PackageReference Include="libtorch-cpu-linux-x64" Version="2.10.0" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(consumer, "Program.cs"), """
            using GenerativeSharp.Runs;
            using GenerativeSharp.Training;

            TrainingResult result = TrainingRun.Execute(
                new TrainingRequest { Model = "vae", Data = "mnist-10k", Steps = 5, Output = args[0], Progress = ProgressMode.None },
                Console.Error, CancellationToken.None);
            Console.WriteLine($"trained {result.State.Step} steps");
            """);
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="generativesharp-test-feed" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        string consumerRun = _dir.File("consumer-run");
        string output = Run("dotnet", ["run", "-c", "Release", "--", consumerRun], consumer);
        Assert.Contains("trained 5 steps", output);
        Assert.True(File.Exists(Path.Combine(consumerRun, "checkpoint.safetensors")));

        // Published, the consumer runs from its publish folder (the patched native library travels there too).
        string published = _dir.File("consumer-publish");
        Run("dotnet", ["publish", "-c", "Release", "-o", published], consumer);
        string publishedRun = _dir.File("consumer-published-run");
        Assert.Contains("trained 5 steps", Run("dotnet", [Path.Combine(published, "consumer.dll"), publishedRun], _dir.Path));

        // The tool, installed into a tool path: `gensharp models` and a 5-step run.
        string tools = _dir.File("tools");
        Run("dotnet", ["tool", "install", "GenerativeSharp.Cli", "--version", _version, "--tool-path", tools, "--add-source", feed], _dir.Path,
            ("NUGET_PACKAGES", _dir.File("tool-packages")));                      // the 200 MB tool package stays out of the user's cache
        string gensharp = Path.Combine(tools, "gensharp");
        Assert.Contains("vae", Run(gensharp, ["models"], _dir.Path));
        string toolRun = _dir.File("tool-run");
        Run(gensharp, ["train", "vae", "--data", "mnist-10k", "--steps", "5", "--out", toolRun, "--progress", "none"], _dir.Path);
        Assert.True(File.Exists(Path.Combine(toolRun, "checkpoint.safetensors")));
    }

    /// <summary>Runs a command to the end (10 minutes at most) and returns its standard output; a non-zero exit fails the test with both streams.</summary>
    private static string Run(string file, string[] arguments, string directory, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (string name in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "DOTNET_HOST_PATH" })
            start.Environment.Remove(name);                                        // the test host's MSBuild must not leak into the child
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach ((string name, string value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', arguments)} did not finish in 10 minutes");
        }
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output.Result}\n{error.Result}");
        return output.Result;
    }

    private static string GlobalPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
