using System.CommandLine;
using GenerativeSharp.Data;
using GenerativeSharp.Evaluation;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Boltzmann;
using GenerativeSharp.Runtime;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Cli.Commands;

/// <summary><c>gensharp eval DIR</c>: likelihood numbers of a trained model on a data split.</summary>
internal static class EvalCommand
{
    public static Command Create(CliContext context)
    {
        var directory = new Argument<string>("DIR") { Description = "a run directory written by 'gensharp train'" };
        var data = CommonOptions.Data(required: false);
        var split = new Option<string>("--split") { Description = "test or train", DefaultValueFactory = _ => "test" };
        var json = new Option<bool>("--json") { Description = "print one JSON object as the last line" };
        var samples = new Option<int>("--samples") { Description = "importance samples k for bound models", DefaultValueFactory = _ => 100 };
        var limit = new Option<int?>("--limit") { Description = "evaluate only the first N examples" };
        var device = CommonOptions.Device();
        var dataRoot = CommonOptions.DataRoot();
        var progress = new Option<string>("--progress") { Description = "auto, plain or none", DefaultValueFactory = _ => "auto" };
        var aisRuns = new Option<int>("--ais-runs") { Description = "AIS runs for energy models (RBM)", DefaultValueFactory = _ => 100 };
        var aisTemperatures = new Option<int>("--ais-temperatures")
        {
            Description = "AIS intermediate temperatures for energy models", DefaultValueFactory = _ => 14_500,
        };
        var parzenSamples = new Option<int>("--parzen-samples")
        {
            Description = "model samples of the Parzen-window estimate (models without a likelihood)", DefaultValueFactory = _ => 10_000,
        };
        var qualitySamples = new Option<int?>("--quality-samples")
        {
            Description = "model samples for FID / KID / precision-recall (images with a feature network) and 8gaussians mode coverage; " +
                "0 = skip; default 10,000 (0 for PixelCNNs, which draw pixel by pixel: hours for 10,000 images on a CPU)",
        };
        var command = new Command("eval", "Evaluate a trained model: NLL in nats and bits/dim, labelled exact, bound or estimate.")
        {
            directory, data, split, json, samples, limit, device, dataRoot, progress, aisRuns, aisTemperatures, parzenSamples, qualitySamples,
        };
        command.SetAction(parsed =>
        {
            string dir = parsed.GetValue(directory)!;
            string splitName = parsed.GetValue(split)!.ToLowerInvariant();
            if (splitName is not ("test" or "train"))
                throw new InvalidInputException($"--split {splitName}: expected test or train.");
            int k = CommonOptions.Positive("--samples", parsed.GetValue(samples));
            int? limitValue = parsed.GetValue(limit) is int l ? CommonOptions.Positive("--limit", l) : null;
            ProgressMode progressMode = TrainCommand.ParseProgress(parsed.GetValue(progress)!);
            torch.Device target = TorchRuntime.ResolveDevice(parsed.GetValue(device)!);
            var ais = new AisSettings(CommonOptions.Positive("--ais-runs", parsed.GetValue(aisRuns)),
                CommonOptions.Positive("--ais-temperatures", parsed.GetValue(aisTemperatures)),
                CommonOptions.Positive("--parzen-samples", parsed.GetValue(parzenSamples)),
                parsed.GetValue(qualitySamples) is int q ? Math.Max(0, q) : null);
            EvaluationReport report = Evaluate(dir, parsed.GetValue(data), splitName, k, limitValue, target,
                parsed.GetValue(dataRoot), progressMode, context, ais);
            if (parsed.GetValue(json))
                context.Out.WriteLine(report.ToJson().ToJsonString());
            else
                PrintTable(context.Out, report);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Loads DIR's checkpoint and evaluates it on a split of its data (or of <paramref name="dataSpec"/>).</summary>
    public static EvaluationReport Evaluate(string dir, string? dataSpec, string splitName, int k, int? limit, torch.Device target,
        string? dataRoot, ProgressMode progressMode, CliContext context, AisSettings? ais = null)
    {
        using LoadedCheckpoint checkpoint = Checkpoint.Load(dir, target);
        using var model = checkpoint.Model;
        string spec = dataSpec ?? checkpoint.State.Data;
        using DataSplits splits = CommonOptions.LoadData(spec, dataRoot, checkpoint.State.Seed, context.Error);
        if (!splits.EventShape.SequenceEqual(model.Model.EventShape))
            throw new InvalidInputException($"{spec} has examples of shape [{string.Join(", ", splits.EventShape)}] " +
                $"but the model expects [{string.Join(", ", model.Model.EventShape)}].");
        TensorDataset chosen = splitName == "test" ? splits.Test : splits.Train;
        long count = Math.Min(limit ?? long.MaxValue, chosen.Count);
        using torch.Tensor subset = chosen.Examples.narrow(0, 0, count);
        using torch.Tensor prepared = checkpoint.State.Binarize == BinarizationMode.None ? subset.clone() : Binarization.Static(subset);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        PartitionFunction? partition = model.Module is Rbm rbm
            ? EstimatePartition(rbm, splits.Train, checkpoint.State.Binarize, ais ?? new AisSettings(100, 14_500), progressMode)
            : null;
        EvaluationReport report = LikelihoodEvaluator.Evaluate(model.Model, prepared, model.Recipe.Info.Name, spec, splitName,
            k, Trainer.EvaluationSeed, target, splits.Toy?.EntropyNats, ProgressReporter.ForConsole(progressMode), partition);
        ParzenResult? parzen = model.Model is IDensityModel or ILowerBoundModel or IEnergyModel
            ? null
            : ParzenEstimate(model.Model, splits, subset, ais?.ParzenSamples ?? 10_000, target);
        int quality = ais?.QualitySamples ?? DefaultQualitySamples(model.Model, context);
        return report with
        {
            Parzen = parzen,
            SampleQuality = SampleMetrics.Quality(model.Model, splits, subset, quality, Trainer.EvaluationSeed, target),
            ModeCoverage = SampleMetrics.Coverage(model.Model, splits, quality, Trainer.EvaluationSeed, target),
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>log Z of an RBM: AIS with base rates from the training data, and the exact sum when H is small.</summary>
    private static PartitionFunction EstimatePartition(Rbm rbm, TensorDataset train, BinarizationMode mode, AisSettings settings, ProgressMode progress)
    {
        double? exact = rbm.Hidden <= RbmPartitionFunction.MaxExactHidden ? RbmPartitionFunction.Exact(rbm) : null;
        if (rbm.Options.Visible != Models.Boltzmann.RbmVisible.Bernoulli)
            return exact is double e ? new PartitionFunction(e, true, null)
                : throw new InvalidInputException($"this RBM has Gaussian visible units and {rbm.Hidden} hidden ones: AIS needs binary units and exact log Z needs H <= {RbmPartitionFunction.MaxExactHidden}.");
        // AIS underestimates log Z when its chains miss modes of the model (a CD-trained RBM can put most
        // of its mass far from the data): anneal from the data's base rates and from the uniform model,
        // and keep the larger estimate, the tighter of two stochastic lower bounds.
        using torch.Tensor baseData = mode == BinarizationMode.None ? train.Examples.alias() : Binarization.Static(train.Examples);
        AisResult fromData = RbmPartitionFunction.Ais(rbm, baseData, settings.Runs, settings.Temperatures, Trainer.EvaluationSeed,
            ProgressReporter.ForConsole(progress));
        AisResult fromUniform = RbmPartitionFunction.Ais(rbm, null, settings.Runs, settings.Temperatures, Trainer.EvaluationSeed,
            ProgressReporter.ForConsole(progress));
        var (chosen, other) = fromData.LogZ >= fromUniform.LogZ ? (fromData, fromUniform) : (fromUniform, fromData);
        return new PartitionFunction(exact ?? chosen.LogZ, exact is not null, chosen, other);
    }

    /// <summary>
    /// For models with no likelihood of their own (GSN, GANs): the Parzen-window estimate on real-valued
    /// test data, with the width chosen on the first 1,000 training examples (as in the GAN paper).
    /// </summary>
    private static ParzenResult ParzenEstimate(IGenerativeModel model, DataSplits splits, torch.Tensor test, int samples, torch.Device device)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator((ulong)Trainer.EvaluationSeed, device);
        var drawn = new List<torch.Tensor>();
        for (int start = 0; start < samples; start += 1000)
            drawn.Add(model.Sample(Math.Min(1000, samples - start), generator).cpu());
        torch.Tensor validation = splits.Train.Examples.narrow(0, 0, Math.Min(1000, splits.Train.Count));
        return ParzenWindow.Estimate(torch.cat(drawn), validation, test, ParzenWindow.DefaultSigmas);
    }

    /// <summary>The AIS budget, and the sample count of Parzen estimates.</summary>
    public sealed record AisSettings(int Runs, int Temperatures, int ParzenSamples = 10_000, int? QualitySamples = null);

    /// <summary>10,000 samples for the sample-quality metrics, except for PixelCNNs (one network pass per pixel), which skip them unless asked.</summary>
    private static int DefaultQualitySamples(IGenerativeModel model, CliContext context)
    {
        if (model is not GenerativeSharp.Models.Autoregressive.PixelAutoregressiveModel) return 10_000;
        context.Error.WriteLine("sample-quality metrics skipped: a PixelCNN draws pixel by pixel; ask for them with --quality-samples N.");
        return 0;
    }

    private static void PrintTable(TextWriter output, EvaluationReport report)
    {
        output.WriteLine($"{report.Model} on {report.Data} ({report.Split}, {report.Examples} examples, {CommonOptions.Format(report.Seconds)} s)");
        if (report.NllNats is double nll)
            output.WriteLine($"  NLL        {CommonOptions.Format(nll)} nats  ({report.NllKind}{(report.IwaeK is int k ? $", k = {k}" : "")})");
        if (report.BitsPerDim is double bpd) output.WriteLine($"  bits/dim   {bpd:0.0000}");
        if (report.ElboNats is double elbo) output.WriteLine($"  -ELBO      {CommonOptions.Format(elbo)} nats  (bound)");
        if (report.Ais is AisResult ais)
            output.WriteLine($"  AIS log Z  {CommonOptions.Format(ais.LogZ)} +- {CommonOptions.Format(ais.StandardError)} ({ais.Runs} runs, {ais.Temperatures} temperatures; " +
                $"from {ais.BaseModel}; log(mean -+ 3 se): {CommonOptions.Format(ais.LowerLogZ)} .. {CommonOptions.Format(ais.UpperLogZ)})");
        if (report.ExactLogZ is double exactLogZ) output.WriteLine($"  exact logZ {CommonOptions.Format(exactLogZ)} (enumerated)");
        if (report.Parzen is ParzenResult parzen)
            output.WriteLine($"  Parzen     {CommonOptions.Format(parzen.MeanLogLikelihood)} +- {CommonOptions.Format(parzen.StandardError)} nats log-likelihood " +
                $"(sigma {CommonOptions.Format(parzen.Sigma)}, {parzen.Samples} samples; a poor estimator, only for old tables)");
        if (report.SampleQuality is { } q)
        {
            output.WriteLine($"  {q.Label("FID")}: {q.Model.Fid:0.00} (floor {q.Floor.Fid:0.00})");
            output.WriteLine($"  {q.Label("KID")}: {q.Model.Kid.Mean:0.0000} +- {q.Model.Kid.StandardDeviation:0.0000} (floor {q.Floor.Kid.Mean:0.0000})");
            output.WriteLine($"  {q.Label("precision / recall, k = 3")}: {q.Model.PrecisionRecall.Precision:0.000} / {q.Model.PrecisionRecall.Recall:0.000} " +
                $"(floor {q.Floor.PrecisionRecall.Precision:0.000} / {q.Floor.PrecisionRecall.Recall:0.000})");
        }
        if (report.ModeCoverage is { } m)
            output.WriteLine($"  modes_covered {m.ModesCovered} of {m.Modes}; high_quality_share {m.HighQualityShare:0.000} (within 3 std of a mode)");
        if (report.TrueNllNats is double truth)
            output.WriteLine($"  floor H    {CommonOptions.Format(truth)} nats; KL gap {CommonOptions.Format(report.KlGapNats ?? double.NaN)} nats");
    }
}
