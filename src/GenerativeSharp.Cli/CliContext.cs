namespace GenerativeSharp.Cli;

/// <summary>Where a command writes results (Out) and messages (Error), and its cancellation.</summary>
internal sealed record CliContext(TextWriter Out, TextWriter Error, CancellationToken Cancel);

/// <summary>The process exit codes.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadInput = 2;
    public const int Interrupted = 130;
}
