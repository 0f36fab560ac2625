using System.Diagnostics;
using GenerativeSharp.Models;
using GenerativeSharp.Training;
using static TorchSharp.torch;

namespace GenerativeSharp.Evaluation;

/// <summary>
/// Likelihood numbers for any model, by capability: exact log p for <see cref="IDensityModel"/>;
/// the ELBO and, with k &gt; 1, the importance-weighted estimate for <see cref="ILowerBoundModel"/>.
/// For <see cref="IEnergyModel"/>: mean free energy plus log Z, exact when log Z was enumerated.
/// Per example in nats; bits/dim = nats / (D ln 2).
/// </summary>
public static class LikelihoodEvaluator
{
    /// <param name="examples">prepared data (binarized where the model needs it), [N, ...event]</param>
    /// <param name="samples">importance samples k for bound models (1 = ELBO only)</param>
    /// <param name="seed">seed of the evaluation's own generator, so numbers repeat</param>
    public static EvaluationReport Evaluate(IGenerativeModel model, Tensor examples, string modelName, string data, string split,
        int samples, long seed, Device device, double? trueNllNats = null, ProgressReporter? progress = null,
        PartitionFunction? partition = null)
    {
        if (model is IEnergyModel && partition is null)
            throw new ArgumentException("an energy model's likelihood needs its log partition function.", nameof(partition));
        var clock = Stopwatch.StartNew();
        long count = examples.shape[0];
        long dimensions = examples.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        int batch = samples > 1 ? 50 : 500;
        double elboSum = 0, iwaeSum = 0, exactSum = 0, freeEnergySum = 0;
        using var generator = new Generator((ulong)seed, device);
        (model as nn.Module)?.eval();
        using (no_grad())
        {
            for (long start = 0; start < count; start += batch)
            {
                using var scope = NewDisposeScope();
                Tensor x = examples.narrow(0, start, Math.Min(batch, count - start)).to(device);
                switch (model)
                {
                    case IDensityModel density:
                        exactSum += density.LogProb(x).to(ScalarType.Float64).sum().item<double>();
                        break;
                    case IEnergyModel energy:
                        freeEnergySum += energy.FreeEnergy(x).to(ScalarType.Float64).sum().item<double>();
                        break;
                    case ILowerBoundModel bound:
                        elboSum += bound.Elbo(x, generator).to(ScalarType.Float64).sum().item<double>();
                        if (samples > 1)
                            iwaeSum += bound.ImportanceSampledLogLikelihood(x, samples, generator).to(ScalarType.Float64).sum().item<double>();
                        break;
                }
                progress?.Report("eval", Math.Min(start + batch, count), count, $"k={samples}");
            }
        }
        progress?.Finish();

        double? nll = null, elbo = null;
        string? kind = null;
        switch (model)
        {
            case IDensityModel:
                nll = -exactSum / count;
                kind = "exact";
                break;
            case IEnergyModel:
                nll = freeEnergySum / count + partition!.LogZ;       // -log p(v) = F(v) + log Z
                kind = partition.Exact ? "exact" : "estimate";
                break;
            case ILowerBoundModel:
                elbo = -elboSum / count;
                nll = samples > 1 ? -iwaeSum / count : elbo;
                kind = samples > 1 ? "estimate" : "bound";
                break;
        }
        return new EvaluationReport
        {
            Model = modelName,
            Data = data,
            Split = split,
            Examples = count,
            NllNats = nll,
            BitsPerDim = nll / (dimensions * Math.Log(2)),
            NllKind = kind,
            ElboNats = elbo,
            IwaeK = model is ILowerBoundModel && samples > 1 ? samples : null,
            TrueNllNats = trueNllNats,
            KlGapNats = trueNllNats is double h ? nll - h : null,
            Ais = partition?.Ais,
            AisOtherBase = partition?.AisOtherBase,
            ExactLogZ = partition?.Exact == true ? partition.LogZ : null,
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }
}

/// <summary>log Z of an energy model: enumerated exactly, or an AIS estimate (kept for the report).</summary>
public sealed record PartitionFunction(double LogZ, bool Exact, AisResult? Ais, AisResult? AisOtherBase = null);
