using System.Diagnostics;
using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Training;
using static TorchSharp.torch;

namespace GenerativeSharp.Evaluation;

/// <summary>
/// The likelihood report of an <see cref="IVariationalBoundModel"/> (a diffusion model's L_T + sum L_{t-1} + L_0, Ho et al.
/// 2020, arXiv:2006.11239, eq. 5): the mean -bound per example in nats, labelled "bound", with its standard error over the
/// examples, and bits/dim; with all step terms or with a stratified draw of them per example (unbiased). On a 2-D toy with a
/// known density the KL gap is paired as for the other models (an upper estimate, since the bound is above -log q).
/// </summary>
public static class StepwiseBound
{
    private const int RowsPerCall = 20_000;

    public static EvaluationReport Evaluate(IVariationalBoundModel model, Tensor examples, string modelName, string data, string split,
        int timesteps, long seed, Device device, ToyDensity? truth, ProgressReporter? progress)
    {
        if (timesteps < 1) throw new InvalidInputException($"--bound-timesteps {timesteps}: expected an integer >= 1.");
        timesteps = Math.Min(timesteps, model.BoundTerms);
        var clock = Stopwatch.StartNew();
        long count = examples.shape[0];
        long dimensions = examples.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        int batch = (int)Math.Max(1, (dimensions <= 64 ? RowsPerCall : 64) / timesteps);   // examples x drawn steps per network call
        var perExample = new List<Tensor>();                                   // log q(x) bounds, [b] float64 each
        using var generator = new Generator((ulong)seed, device);
        (model as TorchSharp.torch.nn.Module)?.eval();
        for (long start = 0; start < count; start += batch)
        {
            using var scope = NewDisposeScope();
            Tensor x = examples.narrow(0, start, Math.Min(batch, count - start)).to(device);
            perExample.Add((-model.NegativeBound(x, timesteps, generator)).to(ScalarType.Float64).cpu().MoveToOuterDisposeScope());
            progress?.Report("bound", Math.Min(start + batch, count), count, $"{timesteps} of {model.BoundTerms} steps");
        }
        progress?.Finish();
        using Tensor logQ = cat(perExample);
        foreach (Tensor t in perExample) t.Dispose();
        double nll = -logQ.mean().item<double>();
        double stdErr = count > 1 ? logQ.std().item<double>() / Math.Sqrt(count) : double.NaN;
        LikelihoodEvaluator.PairedGap? gap = truth is null ? null : LikelihoodEvaluator.PairedGap.Of(truth, examples, logQ);
        return new EvaluationReport
        {
            Model = modelName,
            Data = data,
            Split = split,
            Examples = count,
            NllNats = nll,
            BitsPerDim = nll / (dimensions * Math.Log(2)),
            NllKind = "bound",
            NllStdErr = stdErr,
            BoundTimesteps = timesteps,
            BoundTerms = model.BoundTerms,
            BoundDescription = model.BoundDescription,
            BoundCondition = model is IConditionalSampler { Context: ContextKind.ClassLabel }
                ? "class-conditional model: this is the bound of the unconditional model, every example given the null class (labels unused)"
                : null,
            TrueNllNats = truth?.EntropyNats,
            TrueDensityTestNllNats = gap?.TrueDensityNll,
            KlGapNats = gap?.Mean,
            KlGapStdErr = gap?.StandardError,
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }
}
