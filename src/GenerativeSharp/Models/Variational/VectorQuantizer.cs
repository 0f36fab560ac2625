using GenerativeSharp.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Variational;

/// <summary>
/// The codebook of a VQ-VAE: K vectors of dimension D, nearest-code quantisation, and codebook learning by exponential
/// moving averages instead of the codebook loss (van den Oord, Vinyals and Kavukcuoglu, "Neural Discrete Representation
/// Learning", 2017, arXiv:1711.00937, appendix A.1): N_i &lt;- gamma N_i + (1 - gamma) n_i, m_i &lt;- gamma m_i + (1 - gamma)
/// sum_j z_j over the vectors z_j assigned to code i, e_i = m_i / N_i', with the counts Laplace-smoothed,
/// N_i' = (N_i + eps) / (n + K eps) n, n = sum_i N_i (Razavi, van den Oord and Vinyals 2019, arXiv:1906.00446; Sonnet's
/// VectorQuantizerEMA). Every code starts as if seen once (N_i = 1, m_i = e_i), so an unused code stays where it is.
/// A code unused for <c>deadAfter</c> consecutive training steps is dead; when reviving, it is re-initialised to a random
/// encoder output of the batch (N_i = 1, m_i = that vector). All state is in buffers, so checkpoints carry it.
/// </summary>
public sealed class VectorQuantizer : nn.Module
{
    private readonly Tensor codebook;       // [K, D]
    private readonly Tensor clusterSize;    // [K], the EMA counts N_i
    private readonly Tensor embeddingSum;   // [K, D], the EMA sums m_i
    private readonly Tensor unusedSteps;    // [K], consecutive training steps without an assignment

    public VectorQuantizer(int codes, int dimension, double decay, double epsilon, int deadAfter, bool revive) : base(nameof(VectorQuantizer))
    {
        Codes = codes;
        Dimension = dimension;
        Decay = decay;
        Epsilon = epsilon;
        DeadAfter = deadAfter;
        Revive = revive;
        codebook = randn(codes, dimension);
        clusterSize = ones(codes);
        embeddingSum = codebook.clone();
        unusedSteps = zeros(codes, ScalarType.Int64);
        register_buffer("codebook", codebook);
        register_buffer("cluster_size", clusterSize);
        register_buffer("embedding_sum", embeddingSum);
        register_buffer("unused_steps", unusedSteps);
    }

    public int Codes { get; }
    public int Dimension { get; }
    public double Decay { get; }
    public double Epsilon { get; }
    public int DeadAfter { get; }
    public bool Revive { get; }

    /// <summary>The code vectors [K, D] (the buffer itself: do not dispose).</summary>
    public Tensor Codebook => codebook;

    /// <summary>The EMA counts N_i [K] (the buffer itself).</summary>
    public Tensor ClusterSize => clusterSize;

    /// <summary>Index of the nearest code (squared Euclidean distance) of each vector: [N, D] -> [N] int64.</summary>
    public Tensor Nearest(Tensor flat)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor distances = flat.square().sum(1, keepdim: true) - 2 * flat.matmul(codebook.t()) + codebook.square().sum(1).unsqueeze(0);   // [N, K]
        return distances.argmin(1).MoveToOuterDisposeScope();
    }

    /// <summary>The code vectors of indices of any shape: [...] -> [..., D].</summary>
    public Tensor Lookup(Tensor indices)
    {
        using var scope = NewDisposeScope();
        long[] shape = indices.shape.Append(Dimension).ToArray();
        return codebook.index_select(0, indices.flatten()).view(shape).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The straight-through estimator: the value of the quantised vectors, the gradient of the encoder's outputs
    /// (z_e + sg(e - z_e)): the decoder's gradient reaches the encoder unchanged.
    /// </summary>
    public static Tensor StraightThrough(Tensor encoded, Tensor quantized) => encoded + (quantized - encoded).detach();

    /// <summary>exp(entropy) of the empirical code distribution of indices [N] (computed in float64, returned as float32): K' when K' codes are used equally often.</summary>
    public static Tensor Perplexity(Tensor indices, int codes)
    {
        using var scope = NewDisposeScope();
        Tensor p = indices.flatten().bincount(null, codes).to(ScalarType.Float64) / indices.numel();   // [K]
        return (-(p * (p + 1e-30).log()).sum()).exp().to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One EMA update from the encoder outputs [N, D] (no gradient) and their codes [N]; then counts the dead codes and,
    /// when reviving, re-initialises them from rows of <paramref name="flat"/> drawn with <paramref name="generator"/>.
    /// Returns (dead codes before revival, codes revived).
    /// </summary>
    public (long Dead, long Revived) Update(Tensor flat, Tensor indices, Generator? generator)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        flat = flat.detach().to(codebook.dtype);
        Tensor assigned = nn.functional.one_hot(indices, Codes).to(codebook.dtype);   // [N, K]
        Tensor counts = assigned.sum(dim: 0L);                                              // [K] n_i
        Tensor sums = assigned.t().matmul(flat);                                        // [K, D]
        clusterSize.mul_(Decay).add_(counts, alpha: 1 - Decay);
        embeddingSum.mul_(Decay).add_(sums, alpha: 1 - Decay);
        Tensor total = clusterSize.sum();
        Tensor smoothed = (clusterSize + Epsilon) / (total + Codes * Epsilon) * total;  // [K] N_i'
        codebook.copy_(embeddingSum / smoothed.unsqueeze(1));
        unusedSteps.copy_(where(counts > 0, zeros_like(unusedSteps), unusedSteps + 1));
        Tensor deadIndices = (unusedSteps >= DeadAfter).nonzero().flatten();            // [dead]
        long dead = deadIndices.shape[0];
        if (!Revive || dead == 0) return (dead, 0);
        Tensor rows = SeededRandom.Integers(flat.shape[0], [dead], ScalarType.Int64, flat.device, generator);
        Tensor chosen = flat.index_select(0, rows);                                     // [dead, D]
        codebook.index_copy_(0, deadIndices, chosen);
        embeddingSum.index_copy_(0, deadIndices, chosen);
        clusterSize.index_fill_(0, deadIndices, 1.0);
        unusedSteps.index_fill_(0, deadIndices, 0);
        return (dead, dead);
    }
}
