using static TorchSharp.torch;

namespace GenerativeSharp.Evaluation;

/// <summary>
/// Parzen-window log-likelihood of a sampler: an isotropic Gaussian kernel density on N generated
/// samples s_i, log p(x) = logsumexp_i(-||x - s_i||^2 / (2 sigma^2)) - log N - (D/2) log(2 pi sigma^2),
/// with sigma chosen by the best mean log-likelihood on a validation set, reported on a test set.
/// This is how the GAN paper compared samplers that have no likelihood (Goodfellow et al.,
/// "Generative Adversarial Networks", 2014, arXiv:1406.2661, table 1; Breuleux, Bengio and Vincent,
/// "Quickly Generating Representative Samples from an RBM-Derived Process", Neural Computation 2011).
/// It is a POOR estimator (docs/evaluation.md; Theis, van den Oord and Bethge, "A note on the evaluation
/// of generative models", 2016, arXiv:1511.01844): in high dimensions it needs far more samples
/// than anyone draws, it rewards blurry or memorised samples, and it can rank models the opposite
/// way to their true likelihoods. Offer it only to compare with old tables, labelled as such.
/// Computed in float64, in chunks of at most a given number of distance-matrix entries.
/// </summary>
public static class ParzenWindow
{
    /// <summary>Entries of one chunk of the [test, samples] distance matrix (32 MB in float64).</summary>
    public const long DefaultChunkElements = 4_000_000;

    /// <summary>The usual candidate widths for [0, 1] images: 10 values from 0.1 to 1, evenly spaced in log scale.</summary>
    public static IReadOnlyList<double> DefaultSigmas { get; } =
        Enumerable.Range(0, 10).Select(i => Math.Pow(10, -1 + i / 9.0)).ToArray();

    /// <summary>
    /// Splits real test data into the slice sigma is chosen on (the first min(1,000, N / 5) examples)
    /// and the rest, on which the log-likelihood is reported: like the GAN paper's validation set,
    /// both are held out from training.
    /// </summary>
    public static (Tensor Validation, Tensor Test) HeldOutSplit(Tensor test)
    {
        long n = test.shape[0];
        long validation = Math.Min(1000, n / 5);
        if (validation < 1) throw new InvalidInputException($"a Parzen-window estimate needs at least 5 test examples, got {n}.");
        return (test.narrow(0, 0, validation), test.narrow(0, validation, n - validation));
    }

    /// <summary>
    /// Chooses sigma on <paramref name="validation"/>, then estimates the test log-likelihood.
    /// All three tensors are [count, ...event] with the same event shape; the validation and test
    /// data should be real data held out from whatever the model was trained on.
    /// </summary>
    public static ParzenResult Estimate(Tensor samples, Tensor validation, Tensor test, IReadOnlyList<double> sigmas,
        long chunkElements = DefaultChunkElements)
    {
        if (sigmas.Count == 0 || sigmas.Any(s => !(s > 0) || double.IsInfinity(s)))
            throw new InvalidInputException($"Parzen window widths must be positive numbers, got [{string.Join(", ", sigmas)}].");
        CheckData(samples, validation, nameof(validation));
        CheckData(samples, test, nameof(test));
        using var scope = NewDisposeScope();
        double[] validationMeans = LogDensities(samples, validation, sigmas, chunkElements).mean([1]).cpu().data<double>().ToArray();
        int best = Array.IndexOf(validationMeans, validationMeans.Max());
        Tensor logLikelihoods = LogDensities(samples, test, [sigmas[best]], chunkElements)[0];   // [T]
        double mean = logLikelihoods.mean().item<double>();
        double std = logLikelihoods.std(unbiased: false).item<double>();
        long count = test.shape[0];
        return new ParzenResult(sigmas[best], mean, std / Math.Sqrt(count),
            sigmas.Select((s, i) => new ParzenPoint(s, validationMeans[i])).ToArray(), samples.shape[0], count, validation.shape[0]);
    }

    /// <summary>log p(x) under the kernel density of width <paramref name="sigma"/> on <paramref name="samples"/>: float64 [n].</summary>
    public static Tensor LogDensity(Tensor samples, Tensor x, double sigma, long chunkElements = DefaultChunkElements)
    {
        if (!(sigma > 0) || double.IsInfinity(sigma))
            throw new InvalidInputException($"Parzen window width must be a positive number, got {sigma}.");
        CheckData(samples, x, nameof(x));
        using var scope = NewDisposeScope();
        return LogDensities(samples, x, [sigma], chunkElements)[0].MoveToOuterDisposeScope();
    }

    /// <summary>log p(x) for every sigma: float64 [sigmas, n]; memory bounded by <paramref name="chunkElements"/>.</summary>
    private static Tensor LogDensities(Tensor samples, Tensor x, IReadOnlyList<double> sigmas, long chunkElements)
    {
        if (chunkElements < 1) throw new ArgumentOutOfRangeException(nameof(chunkElements), chunkElements, "need at least one element per chunk");
        using var scope = NewDisposeScope();
        Tensor s = samples.flatten(1).to(ScalarType.Float64);                 // [N, D]
        Tensor points = x.flatten(1).to(ScalarType.Float64, s.device);       // [n, D]
        long n = points.shape[0], count = s.shape[0], dimensions = s.shape[1];
        long samplesPerChunk = Math.Min(count, chunkElements);
        long pointsPerChunk = Math.Max(1, chunkElements / samplesPerChunk);
        Tensor sSquared = s.square().sum(1);                                  // [N]
        // The normaliser log N + (D/2) log(2 pi sigma^2) per width, [S, 1].
        Tensor normalisers = tensor(sigmas.Select(w => Math.Log(count) + 0.5 * dimensions * Math.Log(2 * Math.PI * w * w)).ToArray(),
            device: s.device).view(-1, 1);
        var pieces = new List<Tensor>();
        for (long start = 0; start < n; start += pointsPerChunk)
        {
            using var chunkScope = NewDisposeScope();
            Tensor xs = points.narrow(0, start, Math.Min(pointsPerChunk, n - start));   // [m, D]
            Tensor xSquared = xs.square().sum(1, keepdim: true);              // [m, 1]
            Tensor? total = null;                                             // running logsumexp, [S, m]
            for (long first = 0; first < count; first += samplesPerChunk)
            {
                long c = Math.Min(samplesPerChunk, count - first);
                // ||x - s||^2 = |x|^2 + |s|^2 - 2 x.s, [m, c]; clamped against rounding below zero.
                Tensor distances = (xSquared + sSquared.narrow(0, first, c).unsqueeze(0)
                    - 2 * xs.matmul(s.narrow(0, first, c).t())).clamp_min(0);
                Tensor part = stack(sigmas.Select(w => (distances * (-0.5 / (w * w))).logsumexp(1)));   // [S, m]
                total = total is null ? part : stack([total, part]).logsumexp(0);
            }
            pieces.Add((total! - normalisers).MoveToOuterDisposeScope());
        }
        return cat(pieces, 1).MoveToOuterDisposeScope();                      // [S, n]
    }

    private static void CheckData(Tensor samples, Tensor x, string name)
    {
        if (samples.dim() < 2 || samples.shape[0] < 1)
            throw new InvalidInputException($"Parzen samples must be a non-empty batch [N, ...event], got [{string.Join(", ", samples.shape)}].");
        if (x.dim() != samples.dim() || x.shape[0] < 1 || !x.shape.Skip(1).SequenceEqual(samples.shape.Skip(1)))
            throw new InvalidInputException($"Parzen {name} data must be a non-empty batch [n, {string.Join(", ", samples.shape.Skip(1))}] " +
                $"like the samples; got [{string.Join(", ", x.shape)}].");
    }
}
