using static TorchSharp.torch;

namespace GenerativeSharp.Training;

/// <summary>Draws many samples in bounded chunks, so memory does not grow with the count.</summary>
public static class ChunkedSampling
{
    /// <summary>Samples drawn per network call.</summary>
    public const int Chunk = 500;

    /// <summary>
    /// <paramref name="draw"/>(n) for chunks of at most <paramref name="chunk"/>, each in its own dispose scope,
    /// gathered on the CPU: [count, ...]. <paramref name="progress"/> hears how many are drawn so far.
    /// </summary>
    public static Tensor Draw(int count, Func<int, Tensor> draw, Action<int>? progress = null, int chunk = Chunk)
    {
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        for (int start = 0; start < count; start += chunk)
        {
            using var chunkScope = NewDisposeScope();
            parts.Add(draw(Math.Min(chunk, count - start)).cpu().MoveToOuterDisposeScope());
            progress?.Invoke(Math.Min(start + chunk, count));
        }
        return cat(parts).MoveToOuterDisposeScope();
    }
}
