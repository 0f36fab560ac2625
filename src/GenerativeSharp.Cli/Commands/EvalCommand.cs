using System.CommandLine;
using GenerativeSharp.Data;
using GenerativeSharp.Evaluation;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Boltzmann;
using GenerativeSharp.Runs;
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
        var parzenSamples = new Option<int?>("--parzen-samples")
        {
            Description = "model samples of the Parzen-window estimate (models without a likelihood); default 10,000, " +
                "skipped with a note when drawing them would take longer than the training did",
        };
        var qualitySamples = new Option<int?>("--quality-samples")
        {
            Description = "model samples for FID / KID / precision-recall (images with a feature network; at most half the test set, " +
                "the size of the real-vs-real floor) and 8gaussians mode coverage; 0 = skip; default 10,000, skipped with a note when " +
                "drawing them would take longer than the training did (always for PixelCNNs, which draw pixel by pixel)",
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
            if (k > MaxImportanceSamples)
                throw new InvalidInputException($"--samples {k}: at most {MaxImportanceSamples} importance samples (papers use 5,000).");
            int? limitValue = parsed.GetValue(limit) is int l ? CommonOptions.Positive("--limit", l) : null;
            ProgressMode progressMode = TrainCommand.ParseProgress(parsed.GetValue(progress)!);
            torch.Device target = TorchRuntime.ResolveDevice(parsed.GetValue(device)!);
            var ais = new AisSettings(CommonOptions.Positive("--ais-runs", parsed.GetValue(aisRuns)),
                CommonOptions.Positive("--ais-temperatures", parsed.GetValue(aisTemperatures)),
                parsed.GetValue(parzenSamples) is int p ? AtMost("--parzen-samples", CommonOptions.Positive("--parzen-samples", p), 1_000_000) : null,
                parsed.GetValue(qualitySamples) is int q ? AtMost("--quality-samples", Math.Max(0, q), 1_000_000) : null);
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

    private static int AtMost(string option, int value, int limit) =>
        value <= limit ? value : throw new InvalidInputException($"{option} {value}: at most {limit}.");

    /// <summary>The most importance samples per example that eval takes.</summary>
    public const int MaxImportanceSamples = 100_000;

    /// <summary>Loads DIR's checkpoint and evaluates it on a split of its data (or of <paramref name="dataSpec"/>).</summary>
    public static EvaluationReport Evaluate(string dir, string? dataSpec, string splitName, int k, int? limit, torch.Device target,
        string? dataRoot, ProgressMode progressMode, CliContext context, AisSettings? ais = null)
    {
        using LoadedCheckpoint checkpoint = Checkpoint.Load(dir, target);
        using var model = checkpoint.Model;
        string spec = dataSpec ?? checkpoint.State.Data;
        using DataSplits splits = TrainingRun.LoadData(checkpoint.State, dataRoot, context.Error, spec == checkpoint.State.Data ? null : spec);
        if (!splits.EventShape.SequenceEqual(model.Model.EventShape))
            throw new InvalidInputException($"{spec} has examples of shape [{string.Join(", ", splits.EventShape)}] " +
                $"but the model expects [{string.Join(", ", model.Model.EventShape)}].");
        TensorDataset chosen = splitName == "test" ? splits.Test : splits.Train;
        long count = Math.Min(limit ?? long.MaxValue, chosen.Count);
        using torch.Tensor subset = chosen.Examples.narrow(0, 0, count);
        using torch.Tensor prepared = checkpoint.State.Binarize == BinarizationMode.None ? subset.clone() : Binarization.Static(subset);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ais ??= new AisSettings(100, 14_500);
        PartitionFunction? partition = model.Module is Rbm rbm
            ? EstimatePartition(rbm, splits.Train, checkpoint.State.Binarize, ais, progressMode)
            : null;
        EvaluationReport report = LikelihoodEvaluator.Evaluate(model.Model, prepared, model.Recipe.Info.Name, spec, splitName,
            k, Trainer.EvaluationSeed, target, splits.Toy, ProgressReporter.ForConsole(progressMode), partition);
        double? trainingSeconds = MetricsLog.TrainingSeconds(Path.Combine(dir, Trainer.MetricsFileName));
        var notes = new List<string>();
        int Affordable(int? asked, int fallback, string metric, string option)
        {
            if (asked is int n) return n;
            string? note = SamplingBudget.SkipNote(model.Model, fallback, trainingSeconds, metric, option, target);
            if (note is null) return fallback;
            notes.Add(note);
            context.Error.WriteLine(note);
            return 0;
        }
        bool hasLikelihood = model.Model is IDensityModel or ILowerBoundModel or IEnergyModel;
        int parzenCount = hasLikelihood ? 0 : Affordable(ais.ParzenSamples, 10_000, "Parzen-window estimate", "--parzen-samples");
        ParzenResult? parzen = parzenCount > 0 ? ParzenEstimate(model.Model, subset, parzenCount, target, progressMode) : null;
        if (SampleMetrics.MissingQualityNote(splits) is string missing)
        {
            notes.Add(missing);
            context.Error.WriteLine(missing);
        }
        bool hasQualityMetric = SampleMetrics.HasQuality(splits) || splits.Toy?.Name == "8gaussians";
        int quality = hasQualityMetric ? Affordable(ais.QualitySamples, 10_000, "sample-quality metrics", "--quality-samples") : 0;
        return report with
        {
            Parzen = parzen,
            SampleQuality = SampleMetrics.Quality(model.Model, splits, subset, quality, Trainer.EvaluationSeed, target, ProgressReporter.ForConsole(progressMode)),
            ModeCoverage = SampleMetrics.Coverage(model.Model, splits, quality, Trainer.EvaluationSeed, target),
            Notes = notes,
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
    /// test data, with the width chosen on a held-out slice of the test set (as the GAN paper chose it on
    /// a validation set) and the log-likelihood reported on the rest.
    /// </summary>
    private static ParzenResult ParzenEstimate(IGenerativeModel model, torch.Tensor test, int samples, torch.Device device, ProgressMode progressMode)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator((ulong)Trainer.EvaluationSeed, device);
        var progress = ProgressReporter.ForConsole(progressMode);
        torch.Tensor drawn = ChunkedSampling.Draw(samples, n => model.Sample(n, generator), done => progress.Report("Parzen samples", done, samples, "drawn"), chunk: 1000);
        progress.Finish();
        var (validation, rest) = ParzenWindow.HeldOutSplit(test);
        return ParzenWindow.Estimate(drawn, validation, rest, ParzenWindow.DefaultSigmas);
    }

    /// <summary>The AIS budget, and the sample counts of the Parzen estimate and the quality metrics (null: the default, if affordable).</summary>
    public sealed record AisSettings(int Runs, int Temperatures, int? ParzenSamples = null, int? QualitySamples = null);

    private static void PrintTable(TextWriter output, EvaluationReport report)
    {
        output.WriteLine($"{report.Model} on {report.Data} ({report.Split}, {report.Examples} examples, {CommonOptions.Format(report.Seconds)} s)");
        if (report.NllNats is double nll)
            output.WriteLine($"  NLL        {CommonOptions.Format(nll)} nats  ({report.NllKind}{(report.IwaeK is int k ? $", k = {k}" : "")}" +
                $"{(report.Dequantization is string d ? $", {d} dequantization" : "")})");
        if (report.BitsPerDim is double bpd) output.WriteLine($"  bits/dim   {bpd:0.0000}");
        if (report.NegativeElboNats is double elbo) output.WriteLine($"  -ELBO      {CommonOptions.Format(elbo)} nats  (bound, KL weight 1)");
        if (report.Ais is AisResult ais)
            output.WriteLine($"  AIS log Z  {CommonOptions.Format(ais.LogZ)} +- {CommonOptions.Format(ais.StandardError)} ({ais.Runs} runs, {ais.Temperatures} temperatures; " +
                $"from {ais.BaseModel}; log(mean -+ 3 se): {CommonOptions.Format(ais.LowerLogZ)} .. {CommonOptions.Format(ais.UpperLogZ)})");
        if (report.ExactLogZ is double exactLogZ) output.WriteLine($"  exact logZ {CommonOptions.Format(exactLogZ)} (enumerated)");
        if (report.Parzen is ParzenResult parzen)
            output.WriteLine($"  Parzen     {CommonOptions.Format(parzen.MeanLogLikelihood)} +- {CommonOptions.Format(parzen.StandardError)} nats log-likelihood " +
                $"(sigma {CommonOptions.Format(parzen.Sigma)} chosen on {parzen.ValidationExamples} held-out test examples, {parzen.TestExamples} others scored, " +
                $"{parzen.Samples} samples; a poor estimator, only for old tables)");
        if (report.SampleQuality is { } q)
        {
            output.WriteLine($"  {q.Label("FID")}: {q.Model.Fid:0.00}");
            output.WriteLine($"  {q.FloorLabel("FID")}: {q.Floor.Fid:0.00}");
            output.WriteLine($"  {q.Label("KID")}: {q.Model.Kid.Mean:0.0000} +- {q.Model.Kid.StandardDeviation:0.0000} (floor {q.Floor.Kid.Mean:0.0000})");
            output.WriteLine($"  {q.Label("precision / recall, k = 3")}: {q.Model.PrecisionRecall.Precision:0.000} / {q.Model.PrecisionRecall.Recall:0.000} " +
                $"(floor {q.Floor.PrecisionRecall.Precision:0.000} / {q.Floor.PrecisionRecall.Recall:0.000})");
        }
        if (report.ModeCoverage is { } m)
            output.WriteLine($"  modes_covered {m.ModesCovered} of {m.Modes}; high_quality_share {m.HighQualityShare:0.000} (within 3 std of a mode)");
        foreach (string note in report.Notes) output.WriteLine($"  note: {note}");
        if (report.TrueNllNats is double truth)
            output.WriteLine($"  floor H    {CommonOptions.Format(truth)} nats (true density on these points: {CommonOptions.Format(report.TrueDensityTestNllNats ?? double.NaN)}); " +
                $"KL gap {CommonOptions.Format(report.KlGapNats ?? double.NaN)} +- {CommonOptions.Format(report.KlGapStdErr ?? double.NaN)} nats (paired)");
    }
}
