using GenerativeSharp.Cli;

namespace GenerativeSharp.Tests.Cli;

/// <summary>Runs the command line in-process and captures what it prints.</summary>
internal static class CliHost
{
    public static CliOutcome Run(params string[] args) => Run(CancellationToken.None, args);

    public static CliOutcome Run(CancellationToken cancel, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = GensharpCli.Run(args, output, error, cancel);
        return new CliOutcome(code, output.ToString(), error.ToString());
    }
}

internal sealed record CliOutcome(int Code, string Out, string Error)
{
    public string LastLine => Out.TrimEnd().Split('\n')[^1];
}
