using System.CommandLine;
using System.Net;
using GenerativeSharp.Cli.Studio;

namespace GenerativeSharp.Cli.Commands;

/// <summary>
/// <c>gensharp serve [DIR...] [--port P] [--host H]</c>: the studio (docs/studio.md), a web page over the given run
/// directories (or every run under runs/) to sample, breed, interpolate, translate and repair images and watch
/// training curves. Bound to 127.0.0.1 unless --host says otherwise, which it then announces loudly.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var directories = new Argument<string[]>("DIR") { Description = "run directories to serve (default: every run under runs/)", Arity = ArgumentArity.ZeroOrMore };
        var port = new Option<int>("--port") { Description = "TCP port (0: any free port)", DefaultValueFactory = _ => 5151 };
        var host = new Option<string>("--host") { Description = "address to listen on (default 127.0.0.1, this machine only)", DefaultValueFactory = _ => "127.0.0.1" };
        var command = new Command("serve", "Serve the studio: a web page to sample, breed, interpolate, translate and repair images with trained runs.")
        {
            directories, port, host,
        };
        command.SetAction(parsed =>
        {
            int p = parsed.GetValue(port);
            if (p is < 0 or > 65535) throw new InvalidInputException($"--port {p}: expected 0 to 65535.");
            string hostText = parsed.GetValue(host)!.Trim();
            IPAddress address = hostText == "localhost" ? IPAddress.Loopback
                : IPAddress.TryParse(hostText, out IPAddress? parsedAddress) ? parsedAddress
                : throw new InvalidInputException($"--host {hostText}: expected an IP address such as 127.0.0.1 or 0.0.0.0.");
            if (!IPAddress.IsLoopback(address))
            {
                context.Error.WriteLine("gensharp: WARNING: --host " + hostText + " serves the studio beyond this machine. Anyone who can reach");
                context.Error.WriteLine("gensharp: WARNING: this address can use your models and see your runs' images; the studio has no login.");
            }
            StudioServer server = StudioServer.StartAsync(parsed.GetValue(directories) ?? [], address, p).GetAwaiter().GetResult();
            try
            {
                context.Out.WriteLine($"studio: {server.Url} serving {string.Join(", ", server.Runs.All.Select(r => r.Name))} (Ctrl+C stops)");
                server.WaitForShutdownAsync(context.Cancel).GetAwaiter().GetResult();
            }
            finally
            {
                server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
