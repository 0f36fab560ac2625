using System.Diagnostics;
using System.Net;
using GenerativeSharp.Cli.Studio;
using GenerativeSharp.Latent;
using TorchSharp;
using static TorchSharp.torch;
using Xunit.Abstractions;

namespace GenerativeSharp.Tests.Cli.Studio;

/// <summary>No tensor outlives a request, and the load check: 200 gallery requests from 8 concurrent clients against one model.</summary>
[Collection(StudioCollection.Name)]
public sealed class StudioMemoryTests(StudioRunsFixture studio, ITestOutputHelper output)
{
    [Fact]
    public void Many_requests_leave_no_live_tensors()
    {
        using var runs = new RunTable([studio.Runs["vae"], studio.Runs["made"]], queueLimit: 4);
        StudioRun vae = runs.Get("vae"), made = runs.Get("made");
        byte[] blank = StudioApiTests.Png(new byte[28 * 28], 28, 28, 1);
        void Round(int i)
        {
            // An uncontended gate runs the work on this thread, so this thread's count of live tensors sees it all.
            vae.EvaluateAsync((run, loaded) => LatentImages.Sample(run, loaded, new SampleQuery(i, null, null, null, null)), default).GetAwaiter().GetResult();
            vae.EvaluateAsync((run, loaded) => LatentImages.Interpolate(run, loaded, i, i + 1, 5, i % 5, InterpolationPath.Spherical), default).GetAwaiter().GetResult();
            vae.EvaluateAsync((run, loaded) => LatentImages.Breed(run, loaded, new BreedRequest([i, i + 2], 2, 0.2, i)), default).GetAwaiter().GetResult();
            made.EvaluateAsync((run, loaded) => LatentImages.Sample(run, loaded, new SampleQuery(i, null, null, null, null)), default).GetAwaiter().GetResult();
            using UploadedImage image = UploadedImage.Accept(blank, "image"), mask = UploadedImage.Accept(blank, "mask");
            made.EvaluateAsync((_, loaded) => ImageEditing.Complete(loaded, image, mask, i, 1, null), default).GetAwaiter().GetResult();
        }
        Round(0);                                                                           // the first call loads the models
        DisposeScopeManager.Statistics.Reset();
        for (int i = 1; i <= 40; i++) Round(i);
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public async Task Two_hundred_gallery_requests_from_eight_clients_are_all_answered_with_flat_memory()
    {
        HttpClient client = studio.Client;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/runs/vae/sample.png?seed=0")).StatusCode);   // loaded before measuring
        long before = RssBytes();
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        int next = 0;
        async Task Client()
        {
            for (int i; (i = Interlocked.Increment(ref next)) <= 200;)
            {
                var clock = Stopwatch.StartNew();
                using HttpResponseMessage response = await client.GetAsync($"api/runs/vae/sample.png?seed={i}");
                byte[] body = await response.Content.ReadAsByteArrayAsync();
                latencies.Add(clock.Elapsed.TotalMilliseconds);
                if (response.StatusCode != HttpStatusCode.OK || body.Length < 8) failures.Add($"seed {i}: {(int)response.StatusCode}");
            }
        }
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(Client)));
        total.Stop();
        long after = RssBytes();
        double median = latencies.Order().ElementAt(latencies.Count / 2);
        output.WriteLine($"load check: {latencies.Count} requests, {failures.Count} errors, 8 clients, {total.Elapsed.TotalSeconds:0.00} s in all, " +
            $"median latency {median:0.0} ms, RSS before {before >> 20} MiB, after {after >> 20} MiB");
        Assert.Empty(failures);
        Assert.Equal(200, latencies.Count);
        Assert.True(after - before < 64L << 20, $"RSS grew from {before >> 20} MiB to {after >> 20} MiB over 200 requests");
    }

    private static long RssBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
