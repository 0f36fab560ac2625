namespace GenerativeSharp.Cli.Studio;

/// <summary>
/// One model evaluation at a time, with a bounded queue: a request waits its turn while at most
/// <see cref="QueueLimit"/> others wait; beyond that it is refused at once as busy (HTTP 503), so a burst of
/// requests never piles up unbounded work or memory behind one model.
/// </summary>
internal sealed class EvaluationGate(int queueLimit)
{
    private readonly SemaphoreSlim turn = new(1, 1);
    private int waiting;

    /// <summary>The most requests that may wait behind the one running.</summary>
    public int QueueLimit { get; } = queueLimit;

    /// <summary>Runs <paramref name="work"/> when its turn comes, on the thread that got the turn (torch calls serialised).</summary>
    /// <exception cref="StudioRequestException">503: the queue is full.</exception>
    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancel)
    {
        if (Interlocked.Increment(ref waiting) > QueueLimit + 1)
        {
            Interlocked.Decrement(ref waiting);
            throw new StudioRequestException(503, $"busy: this model is already evaluating with {QueueLimit} requests queued; try again shortly.");
        }
        try
        {
            await turn.WaitAsync(cancel).ConfigureAwait(false);
            try
            {
                return work();
            }
            finally
            {
                turn.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
        }
    }
}
