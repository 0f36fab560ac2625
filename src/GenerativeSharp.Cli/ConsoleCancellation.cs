namespace GenerativeSharp.Cli;

/// <summary>
/// Turns the first Ctrl-C (or SIGTERM) into a cancellation request, so training can finish its step
/// and save a checkpoint; a second Ctrl-C ends the process at once.
/// </summary>
internal static class ConsoleCancellation
{
    private static readonly CancellationTokenSource Source = CreateSource();

    public static CancellationToken Token => Source.Token;

    private static CancellationTokenSource CreateSource()
    {
        var source = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            if (source.IsCancellationRequested) return;   // second Ctrl-C: let the runtime end the process
            e.Cancel = true;
            source.Cancel();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => source.Cancel();
        return source;
    }
}
