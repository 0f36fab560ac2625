using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GenerativeSharp.Cli.Studio;

/// <summary>
/// The studio's web server (Kestrel, minimal APIs) over a <see cref="RunTable"/>: bound to loopback unless told
/// otherwise, request bodies capped, every refusal a JSON answer {"error", "status"} with a 4xx code, and an
/// unexpected failure a 500 answer that leaves the server running.
/// </summary>
internal sealed class StudioServer : IAsyncDisposable
{
    /// <summary>The largest request body Kestrel takes (two uploads of <see cref="UploadedImage.MaxBytes"/> and the form around them).</summary>
    public const long MaxRequestBytes = 2 * UploadedImage.MaxBytes + (64 << 10);

    /// <summary>Requests that may wait per model behind the one evaluating, before "busy" answers.</summary>
    public const int DefaultQueueLimit = 32;

    private readonly WebApplication app;
    private readonly RunTable runs;

    private StudioServer(WebApplication app, RunTable runs, Uri url)
    {
        this.app = app;
        this.runs = runs;
        Url = url;
    }

    /// <summary>The address the server answers on, e.g. http://127.0.0.1:5151/.</summary>
    public Uri Url { get; }

    /// <summary>The runs served.</summary>
    public RunTable Runs => runs;

    /// <summary>Opens the run table and starts listening on <paramref name="host"/>:<paramref name="port"/> (port 0: any free port).</summary>
    /// <exception cref="InvalidInputException">A bad run directory or host.</exception>
    public static async Task<StudioServer> StartAsync(IReadOnlyList<string> directories, IPAddress host, int port, int queueLimit = DefaultQueueLimit)
    {
        var runs = new RunTable(directories, queueLimit);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxRequestBytes;
            kestrel.Listen(host, port);
        });
        WebApplication app = builder.Build();
        app.Use(AnswerRefusalsAsJson);
        StudioEndpoints.Map(app, runs);
        try
        {
            await app.StartAsync();
        }
        catch (IOException e)
        {
            runs.Dispose();
            await app.DisposeAsync();
            throw new InvalidInputException($"cannot listen on {host}:{port} ({e.Message.Split('\n')[0]}).");
        }
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StudioServer(app, runs, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    /// <summary>Waits until <paramref name="cancel"/> fires or the host stops.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancel) => Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.WaitForShutdownAsync(app, cancel);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        runs.Dispose();
    }

    private static async Task AnswerRefusalsAsJson(HttpContext http, Func<Task> next)
    {
        try
        {
            await next();
        }
        catch (Exception e) when (Refusal(e) is (int status, string message) && !http.Response.HasStarted)
        {
            http.Response.Clear();
            http.Response.StatusCode = status;
            if (status == 503) http.Response.Headers.RetryAfter = "1";
            await http.Response.WriteAsJsonAsync(new { error = message, status });
        }
    }

    /// <summary>The answer to an exception: a bad request's 4xx with its reason, busy 503, anything else 500 with one line.</summary>
    private static (int, string)? Refusal(Exception e) => e switch
    {
        OperationCanceledException => null,
        StudioRequestException request => (request.Status, request.Message),
        InvalidInputException input => (400, input.Message),
        BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode == 413
            ? $"the request is larger than the studio takes ({MaxRequestBytes >> 20} MiB)." : bad.Message),
        _ => (500, $"internal error: {e.GetType().Name}: {e.Message.Split('\n')[0]}"),
    };
}
