using static TorchSharp.torch;

namespace GenerativeSharp.Evaluation;

/// <summary>
/// Improved precision and recall (Kynkäänniemi et al., "Improved Precision and Recall Metric for
/// Assessing Generative Models", NeurIPS 2019, arXiv:1904.06991). Each set's manifold is the union of
/// balls around its points with radius the distance to the k-th nearest other point of the same set
/// (k = 3). Precision: share of generated points inside the real manifold; recall: share of real points
/// inside the generated manifold.
/// </summary>
public static class PrecisionRecall
{
    public const int DefaultK = 3;
    private const int Chunk = 1000;

    /// <summary>Precision and recall of generated features against real features, both [N, d].</summary>
    public static PrecisionRecallResult Between(Tensor real, Tensor generated, int k = DefaultK)
    {
        FrechetDistance.CheckFeatures(real, generated);
        if (k < 1 || k >= real.shape[0] || k >= generated.shape[0])
            throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1 and below both set sizes");
        using var scope = NewDisposeScope();
        Tensor r = real.to(ScalarType.Float32), g = generated.to(ScalarType.Float32);
        Tensor radiiReal = KthNeighbourDistances(r, k);                        // [N]
        Tensor radiiGenerated = KthNeighbourDistances(g, k);                   // [M]
        double precision = ShareInside(g, r, radiiReal);
        double recall = ShareInside(r, g, radiiGenerated);
        return new PrecisionRecallResult(precision, recall, k);
    }

    /// <summary>Distance of each point to its k-th nearest neighbour in the same set (itself excluded): [N].</summary>
    internal static Tensor KthNeighbourDistances(Tensor x, int k)
    {
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        for (long start = 0; start < x.shape[0]; start += Chunk)
        {
            Tensor block = x.narrow(0, start, Math.Min(Chunk, x.shape[0] - start));
            Tensor distances = cdist(block, x);                                 // [chunk, N]; the k+1 smallest include the point itself
            parts.Add(distances.topk(k + 1, dim: 1, largest: false).values.select(1, k));
        }
        return cat(parts).MoveToOuterDisposeScope();
    }

    /// <summary>Share of <paramref name="queries"/> inside some ball (centre, radius) of the other set.</summary>
    private static double ShareInside(Tensor queries, Tensor centres, Tensor radii)
    {
        long inside = 0;
        for (long start = 0; start < queries.shape[0]; start += Chunk)
        {
            using var scope = NewDisposeScope();
            Tensor block = queries.narrow(0, start, Math.Min(Chunk, queries.shape[0] - start));
            Tensor distances = cdist(block, centres);                           // [chunk, N]
            inside += (distances <= radii.unsqueeze(0)).any(1).sum().item<long>();
        }
        return (double)inside / queries.shape[0];
    }
}

/// <summary>Improved precision and recall with their neighbourhood size k.</summary>
public sealed record PrecisionRecallResult(double Precision, double Recall, int K);
