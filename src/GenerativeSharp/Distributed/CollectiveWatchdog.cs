using System.Diagnostics;
using System.Globalization;

namespace GenerativeSharp.Distributed;

/// <summary>
/// A time limit on collective calls: a rank alive but stuck (deadlocked, stopped, or a node that stopped answering without
/// dying) would otherwise hold every other rank in its collective forever, since mpirun ends a job only when a process
/// exits. A background timer looks at the collective in progress; one that has not returned within <see cref="Limit"/> prints
/// one line and ends the whole job (<see cref="MpiCommunicator.Abort"/>). The limit comes from
/// <see cref="VariableName"/> (seconds; 0 turns the watchdog off), by default <see cref="DefaultLimit"/>: collectives wait only
/// for the slower rank's step, and the one wait for rank 0's writing at an epoch end (sample grid, checkpoint) is not timed.
/// </summary>
public sealed class CollectiveWatchdog : IDisposable
{
    /// <summary>The environment variable that sets the limit in seconds (pass it to every rank: <c>mpirun -x</c>).</summary>
    public const string VariableName = "GENSHARP_MPI_TIMEOUT_SECONDS";

    /// <summary>The limit when <see cref="VariableName"/> is unset.</summary>
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromMinutes(10);

    private readonly Timer timer;
    private readonly Action<string> expire;
    private readonly int rank;
    private string? call;                                                        // the collective in progress, or null
    private long startedAt;                                                      // its Stopwatch timestamp
    private int expired;

    /// <param name="limit">the longest a collective may take</param>
    /// <param name="rank">this process's rank, for the message</param>
    /// <param name="expire">prints the message and ends the job (called at most once, on the timer's thread)</param>
    public CollectiveWatchdog(TimeSpan limit, int rank, Action<string> expire)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit, TimeSpan.Zero);
        Limit = limit;
        this.rank = rank;
        this.expire = expire;
        TimeSpan period = TimeSpan.FromTicks(Math.Clamp(limit.Ticks / 10, TimeSpan.TicksPerMillisecond * 100, TimeSpan.TicksPerSecond * 5));
        timer = new Timer(_ => Look(), null, period, period);
    }

    /// <summary>The longest a collective call may take.</summary>
    public TimeSpan Limit { get; }

    /// <summary>The limit <see cref="VariableName"/> sets: null when it is 0 (no watchdog), <see cref="DefaultLimit"/> when unset.</summary>
    /// <exception cref="InvalidInputException">The variable is not a non-negative number of seconds.</exception>
    public static TimeSpan? LimitFromEnvironment()
    {
        string? text = Environment.GetEnvironmentVariable(VariableName);
        if (string.IsNullOrWhiteSpace(text)) return DefaultLimit;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || !(seconds >= 0) || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
            throw new InvalidInputException($"{VariableName}={text}: expected a number of seconds (0 turns the collective timeout off).");
        return seconds == 0 ? null : TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Times the collective <paramref name="name"/> until the returned scope is disposed.</summary>
    public Scope Watch(string name)
    {
        Volatile.Write(ref startedAt, Stopwatch.GetTimestamp());
        Volatile.Write(ref call, name);
        return new Scope(this);
    }

    public void Dispose() => timer.Dispose();

    private void Look()
    {
        string? name = Volatile.Read(ref call);
        if (name is null) return;
        TimeSpan waited = Stopwatch.GetElapsedTime(Volatile.Read(ref startedAt));
        if (waited < Limit || Volatile.Read(ref call) is null || Interlocked.Exchange(ref expired, 1) != 0) return;
        expire(string.Create(CultureInfo.InvariantCulture,
            $"rank {rank}: {name} has not returned after {waited.TotalSeconds:F0} s (another rank is stuck or unreachable); " +
            $"aborting the job ({VariableName} sets the limit in seconds, 0 turns it off)."));
    }

    /// <summary>The span of one timed collective.</summary>
    public readonly struct Scope(CollectiveWatchdog? owner) : IDisposable
    {
        public void Dispose()
        {
            if (owner is not null) Volatile.Write(ref owner.call, null);
        }
    }
}
