using System.Runtime.InteropServices;

namespace GenerativeSharp.Cli;

/// <summary>
/// Turns the first Ctrl-C (SIGINT) or SIGTERM (what kill, timeout, systemd and container stops send)
/// into a cancellation request, so training can finish its step and save a checkpoint; a second
/// Ctrl-C ends the process at once. The process then exits 130 after SIGINT and 143 after SIGTERM,
/// the shell's 128 + signal number. SIGTERM is deferred only while a command that saves on
/// cancellation runs (<see cref="DeferTermination"/>: train); otherwise it ends the process as usual.
/// </summary>
internal static class ConsoleCancellation
{
    private static readonly CancellationTokenSource Source = new();
    private static PosixSignalRegistration? sigterm;
    private static volatile bool terminated;
    private static int deferring;

    public static CancellationToken Token
    {
        get
        {
            Register();
            return Source.Token;
        }
    }

    /// <summary>The exit code an interrupted command reports: 143 after SIGTERM, else 130.</summary>
    public static int InterruptedExitCode => terminated ? 143 : ExitCodes.Interrupted;

    private static void Register()
    {
        if (sigterm is not null) return;
        Console.CancelKeyPress += (_, e) =>
        {
            if (Source.IsCancellationRequested) return;   // second Ctrl-C: let the runtime end the process
            e.Cancel = true;
            Source.Cancel();
        };
        sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            terminated = true;
            context.Cancel = Volatile.Read(ref deferring) > 0;   // keep running: the command saves and exits by itself
            Source.Cancel();
        });
    }

    /// <summary>While the result is alive, SIGTERM cancels the token instead of ending the process.</summary>
    public static IDisposable DeferTermination()
    {
        Interlocked.Increment(ref deferring);
        return new Deferral();
    }

    private sealed class Deferral : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0) Interlocked.Decrement(ref deferring);
        }
    }
}
