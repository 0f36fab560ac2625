using System.Diagnostics;
using GenerativeSharp.Data;
using GenerativeSharp.Distributed;
using GenerativeSharp.Models;
using GenerativeSharp.Training;
using static TorchSharp.torch;

namespace GenerativeSharp.Evaluation;

/// <summary>
/// Likelihood numbers for any model, by capability: exact log p for <see cref="IDensityModel"/>; the
/// dequantization bound for <see cref="IDequantizedModel"/> on 8-bit data (fresh noise for every
/// batch); the ELBO and, with k &gt; 1, the importance-weighted estimate for <see cref="ILowerBoundModel"/>;
/// mean free energy plus log Z for <see cref="IEnergyModel"/>, exact when log Z was enumerated; the step-wise bound
/// of an <see cref="IVariationalBoundModel"/> (<see cref="StepwiseBound"/>).
/// Per example in nats; bits/dim = nats / (D ln 2). On a 2-D toy with a known density the KL gap is the
/// paired estimate mean(log p(x) - log q(x)) over the test points, with its standard error.
/// </summary>
public static class LikelihoodEvaluator
{
    /// <param name="examples">prepared data (binarized where the model needs it), [N, ...event]</param>
    /// <param name="samples">importance samples k for bound models (1 = ELBO only)</param>
    /// <param name="seed">seed of the evaluation's own generator, so numbers repeat</param>
    /// <param name="truth">the data's true density, when known (2-D toys): gives the paired KL gap</param>
    /// <param name="parallel">
    /// a data-parallel job whose ranks all call this with the same examples: each evaluates its <see cref="BatchShard"/> of every
    /// chunk and the sums are added over the ranks (<see cref="LikelihoodSums"/>); a step-wise bound model's evaluation is not sharded.
    /// </param>
    public static EvaluationReport Evaluate(IGenerativeModel model, Tensor examples, string modelName, string data, string split,
        int samples, long seed, Device device, ToyDensity? truth = null, ProgressReporter? progress = null,
        PartitionFunction? partition = null, int? boundTimesteps = null, DataParallel? parallel = null)
    {
        if (model is IEnergyModel && partition is null)
            throw new ArgumentException("an energy model's likelihood needs its log partition function.", nameof(partition));
        var clock = Stopwatch.StartNew();
        long count = examples.shape[0];
        if (model is IVariationalBoundModel stepwise)
            return StepwiseBound.Evaluate(stepwise, examples, modelName, data, split, boundTimesteps ?? stepwise.DefaultBoundTimesteps, seed, device, truth, progress);
        if (model is not (IDensityModel or IDequantizedModel { Dequantizes: true } or IEnergyModel or ILowerBoundModel))
            return new EvaluationReport { Model = modelName, Data = data, Split = split, Examples = count, TrueNllNats = truth?.EntropyNats };
        long dimensions = examples.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        bool dequantized = model is IDequantizedModel { Dequantizes: true } or ILowerBoundModel { Dequantizes: true };
        bool importance = model is ILowerBoundModel && samples > 1;
        int batch = importance ? 50 : 500;
        var sums = new LikelihoodSums(parallel?.Rank ?? 0, parallel?.Size ?? 1);
        using var generator = new Generator((ulong)seed, device);
        (model as nn.Module)?.eval();
        using (no_grad())
        {
            for (long start = 0; start < count; start += batch)
            {
                using var scope = NewDisposeScope();
                Tensor chunk = examples.narrow(0, start, Math.Min(batch, count - start));
                // Data-parallel: this rank's contiguous shard of the chunk, its seeded noise sliced from the chunk's (SeededRandom).
                // Only the last chunk can leave a rank empty (at most batch ranks), so skipping it keeps the generators in step.
                BatchShard? shard = parallel is null ? null : BatchShard.Of(chunk.shape[0], parallel.Rank, parallel.Size);
                if (shard is { Count: 0 }) continue;
                if (shard is not null) chunk = chunk.narrow(0, shard.Offset, shard.Count);
                Tensor x = chunk.to(device), logQ;
                using (shard is null ? null : parallel!.EnterStep(shard))
                    logQ = model switch                                    // [b], the value behind nll_nats
                    {
                        IDequantizedModel { Dequantizes: true } d => d.DequantizedLogLikelihood(x, generator),
                        IDensityModel density => density.LogProb(x),
                        IEnergyModel energy => -energy.FreeEnergy(x).to(ScalarType.Float64) - partition!.LogZ,   // log p(v) = -F(v) - log Z
                        _ => BoundValue((ILowerBoundModel)model, x, samples, generator, sums),
                    };
                sums.AddLogLikelihood(logQ);
                if (truth is not null) sums.AddPairs(truth.LogProb(chunk), logQ);
                progress?.Report("likelihood", Math.Min(start + batch, count), count, importance ? $"k={samples}" : "");
            }
        }
        progress?.Finish();
        sums.Reduce(parallel);                                                // one all-reduce of every sum; nothing in one process

        double nll = -sums.LogLikelihood / count;
        string kind = model switch
        {
            IDequantizedModel { Dequantizes: true } => "bound",
            IDensityModel => "exact",
            IEnergyModel => partition!.Exact ? "exact" : "estimate",
            _ => importance ? "estimate" : "bound",
        };
        PairedGap? gap = truth is null ? null : sums.Gap();
        return new EvaluationReport
        {
            Model = modelName,
            Data = data,
            Split = split,
            Examples = count,
            NllNats = nll,
            BitsPerDim = nll / (dimensions * Math.Log(2)),
            NllKind = kind,
            Dequantization = dequantized ? "uniform" : null,
            NegativeElboNats = model is ILowerBoundModel ? -sums.Elbo / count : null,
            IwaeK = importance ? samples : null,
            TrueNllNats = truth?.EntropyNats,
            TrueDensityTestNllNats = gap?.TrueDensityNll,
            KlGapNats = gap?.Mean,
            KlGapStdErr = gap?.StandardError,
            Ais = partition?.Ais,
            AisOtherBase = partition?.AisOtherBase,
            ExactLogZ = partition?.Exact == true ? partition.LogZ : null,
            ExamplesPerRank = parallel is null ? null : sums.ExamplesPerRank,
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>The ELBO (added to <paramref name="sums"/>) and, with k &gt; 1, the importance-weighted estimate: [b].</summary>
    private static Tensor BoundValue(ILowerBoundModel model, Tensor x, int samples, Generator generator, LikelihoodSums sums)
    {
        Tensor elbo = model.Elbo(x, generator);
        sums.AddElbo(elbo);
        return samples > 1 ? model.ImportanceSampledLogLikelihood(x, samples, generator) : elbo;
    }

    /// <summary>mean and standard error of log p(x) - log q(x) over the test points, and the true density's own NLL on them.</summary>
    internal sealed record PairedGap(double Mean, double StandardError, double TrueDensityNll)
    {
        public static PairedGap Of(ToyDensity truth, Tensor points, Tensor logQ)
        {
            using var scope = NewDisposeScope();
            Tensor logP = truth.LogProb(points);                                // [N] float64
            Tensor d = logP - logQ;                                             // [N]
            long n = d.shape[0];
            double sd = n > 1 ? d.std().item<double>() : double.NaN;
            return new PairedGap(d.mean().item<double>(), sd / Math.Sqrt(n), -logP.mean().item<double>());
        }
    }
}

/// <summary>log Z of an energy model: enumerated exactly, or an AIS estimate (kept for the report).</summary>
public sealed record PartitionFunction(double LogZ, bool Exact, AisResult? Ais, AisResult? AisOtherBase = null);
