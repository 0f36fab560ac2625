using GenerativeSharp.Tests.Cli;

namespace GenerativeSharp.Tests.Distributed;

/// <summary>--distributed takes none or mpi; anything else is refused in one line before the run directory is touched.</summary>
public sealed class DistributedOptionTests
{
    [Fact]
    public void AnUnknownBackendIsRefusedInOneLine()
    {
        using var temp = new TempDirectory();
        string run = temp.File("run");
        CliOutcome outcome = CliHost.Run("train", "vae", "--data", "toy:moons", "--steps", "1", "--out", run, "--distributed", "tcp");
        Assert.Equal(2, outcome.Code);
        Assert.Equal("gensharp: --distributed tcp: expected none or mpi.", outcome.Error.Trim());
        Assert.False(Directory.Exists(run));
    }
}
