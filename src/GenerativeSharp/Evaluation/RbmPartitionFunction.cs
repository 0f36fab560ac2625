using GenerativeSharp.Distributions;
using GenerativeSharp.Models.Boltzmann;
using GenerativeSharp.Training;
using static TorchSharp.torch;

namespace GenerativeSharp.Evaluation;

/// <summary>
/// log Z of an <see cref="Rbm"/>: exactly, by summing over all 2^H hidden configurations (small H),
/// or by annealed importance sampling from a base-rate model (Neal, "Annealed Importance Sampling",
/// 2001; Salakhutdinov and Murray, "On the Quantitative Analysis of Deep Belief Networks", ICML 2008).
/// </summary>
public static class RbmPartitionFunction
{
    /// <summary>Largest hidden layer enumerated exactly (2^24 configurations).</summary>
    public const int MaxExactHidden = 24;

    /// <summary>
    /// log Z = log sum_h exp(c.h) prod_i sum_{v_i} exp(v_i (b_i + (W h)_i)), summed over all h in float64:
    /// binary visible units give softplus(b_i + (W h)_i); unit-variance Gaussian ones give
    /// ((b + W h)_i^2 - b_i^2) / 2 + log(2 pi) / 2.
    /// </summary>
    public static double Exact(Rbm rbm, int chunk = 1 << 13)
    {
        if (rbm.Hidden > MaxExactHidden)
            throw new InvalidInputException($"exact log Z enumerates 2^H hidden states; H = {rbm.Hidden} is above {MaxExactHidden}.");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor w = rbm.Weight.to(ScalarType.Float64), b = rbm.VisibleBias.to(ScalarType.Float64), c = rbm.HiddenBias.to(ScalarType.Float64);
        Tensor bits = pow(2, arange(rbm.Hidden, dtype: ScalarType.Int64, device: w.device));     // [H]
        long total = 1L << rbm.Hidden;
        var partial = new List<Tensor>();
        for (long start = 0; start < total; start += chunk)
        {
            using var inner = NewDisposeScope();
            Tensor index = arange(start, Math.Min(start + chunk, total), dtype: ScalarType.Int64, device: w.device);
            Tensor h = index.unsqueeze(1).bitwise_and(bits).ne(0).to(ScalarType.Float64);         // [C, H] all configurations
            Tensor activation = h.matmul(w.t()) + b;                                            // [C, V]
            Tensor visible = rbm.Options.Visible == RbmVisible.Bernoulli
                ? nn.functional.softplus(activation).sum(1)
                : 0.5 * (activation.square() - b.square()).sum(1) + 0.5 * rbm.Visible * Math.Log(2 * Math.PI);
            partial.Add((h.matmul(c) + visible).logsumexp(0).unsqueeze(0).MoveToOuterDisposeScope());
        }
        return cat(partial).logsumexp(0).item<double>();
    }

    /// <summary>
    /// AIS from the base-rate RBM (W = 0, c = 0, visible biases matching the data's pixel means) to
    /// <paramref name="rbm"/> through the intermediate distributions
    /// p*_beta(v) = exp((1 - beta) b_A.v + beta b.v) prod_j (1 + exp(beta (c_j + v W_j))),
    /// with beta spaced as Salakhutdinov and Murray did (500 : 4000 : 10000 of 14,500 in [0, 0.5],
    /// [0.5, 0.9], [0.9, 1]) and one block-Gibbs transition per temperature. Binary visible units only.
    /// </summary>
    /// <param name="data">binary training examples, [N, ...event], for the base rates; null for the uniform base model (b_A = 0)</param>
    public static AisResult Ais(Rbm rbm, Tensor? data, int runs = 100, int temperatures = 14_500, long seed = 0, ProgressReporter? progress = null)
    {
        if (rbm.Options.Visible != RbmVisible.Bernoulli)
            throw new InvalidInputException("AIS is implemented for binary visible units; this RBM has Gaussian ones.");
        if (runs < 2) throw new InvalidInputException($"AIS needs at least 2 runs, got {runs}.");
        if (temperatures < 10) throw new InvalidInputException($"AIS needs at least 10 temperatures, got {temperatures}.");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Device device = rbm.Weight.device;
        // Sampling in float32; the log weight, a sum of thousands of small differences, in float64.
        Tensor w = rbm.Weight.detach(), b = rbm.VisibleBias.detach(), c = rbm.HiddenBias.detach();
        Tensor baseBias = zeros_like(b);                                                    // uniform base: b_A = 0
        if (data is not null)
        {
            Tensor mean = data.flatten(1).to(ScalarType.Float32).to(device).mean([0]);
            Tensor p = (mean * data.shape[0] + 0.5) / (data.shape[0] + 1.0);             // smoothed pixel means
            baseBias = (p / (1 - p)).log();                                                 // b_A, the data's base rates
        }
        double baseLogZ = nn.functional.softplus(baseBias.to(ScalarType.Float64)).sum().item<double>() + rbm.Hidden * Math.Log(2);
        Tensor biasShift = (b - baseBias).to(ScalarType.Float64);                           // b - b_A
        double[] betas = Schedule(temperatures);
        using var generator = new Generator((ulong)seed, device);

        Tensor v = Bernoulli.Draw(baseBias.sigmoid().expand(runs, -1).contiguous(), generator);  // exact draws from p_0, [M, V]
        Tensor logWeights = zeros(runs, dtype: ScalarType.Float64, device: device);
        for (int k = 1; k < betas.Length; k++)
        {
            using var inner = NewDisposeScope();
            Tensor activation = v.matmul(w) + c;                                            // [M, H]
            Tensor a64 = activation.to(ScalarType.Float64);
            // log p*_k(v) - log p*_{k-1}(v), written as differences so nothing large cancels
            Tensor logRatio = (betas[k] - betas[k - 1]) * v.to(ScalarType.Float64).matmul(biasShift)
                + (nn.functional.softplus(betas[k] * a64) - nn.functional.softplus(betas[k - 1] * a64)).sum(1);
            logWeights.add_(logRatio);
            if (k < betas.Length - 1)
            {
                // transition leaving p_k invariant: h ~ p_k(h | v), v ~ p_k(v | h)
                Tensor h = Bernoulli.Draw((betas[k] * activation).sigmoid(), generator);
                v.copy_(Bernoulli.Draw(((1 - betas[k]) * baseBias + betas[k] * (h.matmul(w.t()) + b)).sigmoid(), generator));
            }
            if (k % 200 == 0) progress?.Report($"AIS from {(data is null ? "uniform" : "base rates")}", k, betas.Length - 1, $"{runs} runs");
        }
        progress?.Finish();
        return Summarise(logWeights, baseLogZ, runs, betas.Length) with { BaseModel = data is null ? "uniform" : "data base rates" };
    }

    /// <summary>
    /// The beta schedule: exactly <paramref name="count"/> increasing values from 0 to 1 in Salakhutdinov
    /// and Murray's proportions (of 14,500: 500 in [0, 0.5), 4,000 in [0.5, 0.9), 10,000 in [0.9, 1]).
    /// </summary>
    internal static double[] Schedule(int count)
    {
        int first = Math.Max(1, (int)Math.Round(count * 500.0 / 14_500));
        int second = Math.Max(1, (int)Math.Round(count * 4000.0 / 14_500));
        int third = count - first - second;
        if (third < 2) throw new InvalidInputException($"AIS needs at least 10 temperatures, got {count}.");
        IEnumerable<double> Segment(double from, double to, int n, bool includeEnd) =>
            Enumerable.Range(0, n).Select(i => from + (to - from) * i / (includeEnd ? n - 1 : n));
        return Segment(0, 0.5, first, false).Concat(Segment(0.5, 0.9, second, false)).Concat(Segment(0.9, 1.0, third, true)).ToArray();
    }

    private static AisResult Summarise(Tensor logWeights, double baseLogZ, int runs, int temperatures)
    {
        double[] values = logWeights.cpu().data<double>().ToArray();
        double max = values.Max();
        double[] scaled = values.Select(x => Math.Exp(x - max)).ToArray();
        double mean = scaled.Average();
        double std = Math.Sqrt(scaled.Sum(x => (x - mean) * (x - mean)) / (scaled.Length - 1));
        double standardError = std / Math.Sqrt(scaled.Length);
        double logZ = baseLogZ + max + Math.Log(mean);
        double lower = mean - 3 * standardError > 0 ? baseLogZ + max + Math.Log(mean - 3 * standardError) : double.NegativeInfinity;
        double upper = baseLogZ + max + Math.Log(mean + 3 * standardError);
        return new AisResult(logZ, standardError / mean, lower, upper, baseLogZ, runs, temperatures);
    }
}
