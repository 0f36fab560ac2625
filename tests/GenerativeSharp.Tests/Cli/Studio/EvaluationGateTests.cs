using GenerativeSharp.Cli.Studio;

namespace GenerativeSharp.Tests.Cli.Studio;

public sealed class EvaluationGateTests
{
    [Fact]
    public async Task One_evaluation_runs_at_a_time_the_queue_is_bounded_and_beyond_it_the_answer_is_busy()
    {
        var gate = new EvaluationGate(queueLimit: 1);
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        int running = 0, most = 0;
        int Work()
        {
            int now = Interlocked.Increment(ref running);
            most = Math.Max(most, now);
            started.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            Interlocked.Decrement(ref running);
            return now;
        }
        Task<int> first = Task.Run(() => gate.RunAsync(Work, CancellationToken.None));
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));
        Task<int> queued = gate.RunAsync(Work, CancellationToken.None);                 // waits behind the first
        var busy = await Assert.ThrowsAsync<StudioRequestException>(() => gate.RunAsync(Work, CancellationToken.None));
        Assert.Equal(503, busy.Status);
        Assert.Contains("busy", busy.Message);
        release.Set();
        Assert.Equal(1, await first);
        Assert.Equal(1, await queued);
        Assert.Equal(1, most);
        Assert.Equal(7, await gate.RunAsync(() => 7, CancellationToken.None));          // free again once the queue drains
    }
}
