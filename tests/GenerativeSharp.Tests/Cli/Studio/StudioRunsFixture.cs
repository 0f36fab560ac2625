using System.Net;
using GenerativeSharp.Cli.Studio;

namespace GenerativeSharp.Tests.Cli.Studio;

/// <summary>
/// Five tiny runs trained once for all the studio's tests (a vae to breed, a 10-class cgan, a made to repair, a
/// pix2pix to translate, a 10-class ddpm with 10 steps for the diffusion gallery; seconds each on mnist-10k and the paired colour folders) and a studio serving them on a
/// free loopback port.
/// </summary>
public sealed class StudioRunsFixture : IAsyncLifetime
{
    private readonly TempDirectory directory = new();
    private StudioServer? server;

    /// <summary>The run directories by table name.</summary>
    public Dictionary<string, string> Runs { get; } = [];

    /// <summary>The server's address.</summary>
    public Uri Url => server!.Url;

    /// <summary>A client of the server.</summary>
    public HttpClient Client { get; private set; } = null!;

    internal StudioServer Server => server!;

    public async Task InitializeAsync()
    {
        string[] quiet = ["--progress", "none"];
        Train("vae", ["train", "vae", "--data", "mnist-10k", "--steps", "10", "--batch-size", "32", "--set", "hidden=16", "--set", "latent=3", .. quiet]);
        Train("cgan", ["train", "cgan", "--data", "mnist-10k", "--steps", "3", "--batch-size", "16", "--set", "classes=10", "--set", "hidden=8",
            "--set", "latent=3", .. quiet]);
        Train("made", ["train", "made", "--data", "mnist-10k", "--steps", "6", "--set", "hidden=16", .. quiet]);
        string google = PairedColourFolders.WriteStyle(directory.File("google"), 30), twitter = PairedColourFolders.WriteStyle(directory.File("twitter"), 200);
        Train("pix2pix", ["train", "pix2pix", "--data", google, "--target", twitter, "--steps", "3", "--set", "ngf=8", "--set", "ndf=8",
            "--image-size", "32", "--batch-size", "4", .. quiet]);
        Train("ddpm", ["train", "ddpm", "--data", "mnist-10k", "--steps", "2", "--batch-size", "8", "--set", "timesteps=10", "--set", "channels=8",
            "--set", "attention=false", "--set", "classes=10", .. quiet]);
        server = await StudioServer.StartAsync([.. Runs.Values], IPAddress.Loopback, 0);
        Client = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromMinutes(2) };
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (server is not null) await server.DisposeAsync();
        directory.Dispose();
    }

    private void Train(string name, string[] args)
    {
        string run = directory.File(name);
        CliOutcome outcome = CliHost.Run([.. args, "--out", run]);
        Assert.True(outcome.Code == 0, outcome.Error);
        Runs[name] = run;
    }
}

/// <summary>The studio's tests share one set of trained runs and one server, and run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StudioCollection : ICollectionFixture<StudioRunsFixture>
{
    public const string Name = "studio";
}
