namespace GenerativeSharp.Tests.Cli.Studio;

/// <summary><c>gensharp serve</c> from the command line: its refusals, and the loud warning off loopback.</summary>
[Collection(StudioCollection.Name)]
public sealed class ServeCommandTests(StudioRunsFixture studio)
{
    [Fact]
    public void A_missing_directory_a_directory_without_a_checkpoint_and_a_bad_host_are_refused_in_one_line()
    {
        using var empty = new TempDirectory();
        CliAssertions.OneLineRefusal(CliHost.Run("serve", empty.File("nope")), "no such run directory");
        CliAssertions.OneLineRefusal(CliHost.Run("serve", empty.Path), "holds no checkpoint.safetensors");
        CliAssertions.OneLineRefusal(CliHost.Run("serve", studio.Runs["vae"], "--host", "example.org"), "--host example.org: expected an IP address");
        CliAssertions.OneLineRefusal(CliHost.Run("serve", studio.Runs["vae"], "--port", "70000"), "--port 70000");
    }

    [Fact]
    public async Task Serving_beyond_loopback_warns_loudly_and_ctrl_c_stops_the_server()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        CliOutcome outcome = await Task.Run(() => CliHost.Run(stop.Token, "serve", studio.Runs["vae"], "--host", "0.0.0.0", "--port", "0"));
        Assert.True(outcome.Code == 0, outcome.Error);
        Assert.Contains("WARNING: --host 0.0.0.0 serves the studio beyond this machine", outcome.Error);
        Assert.Contains("serving vae", outcome.Out);
    }
}
