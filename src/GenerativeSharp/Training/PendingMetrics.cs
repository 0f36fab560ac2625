namespace GenerativeSharp.Training;

/// <summary>
/// The running sums of training metrics since the last metrics.jsonl line, over <see cref="Count"/>
/// steps. A checkpoint written between log lines (Ctrl-C, SIGTERM) keeps them, so that the resumed run
/// logs the same means as an uninterrupted one.
/// </summary>
public sealed record PendingMetrics(IReadOnlyDictionary<string, double> Sums, int Count)
{
    public static PendingMetrics None { get; } = new(new Dictionary<string, double>(), 0);
}
