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
            Description = "model samples of the Parzen-window estimate (models without a likelihood); 0 = skip; default 10,000, " +
                "skipped with a note when drawing them would take longer than the training did",
        };
        var qualitySamples = new Option<int?>("--quality-samples")
        {
            Description = "model samples for FID / KID / precision-recall (images with a feature network; at most half the test set, " +
                "the size of the real-vs-real floor) and 8gaussians mode coverage; 0 = skip; default 10,000, skipped with a note when " +
                "drawing them would take longer than the training did (always for PixelCNNs, which draw pixel by pixel)",
        };
        var boundTimesteps = new Option<int?>("--bound-timesteps")
        {
            Description = "diffusion models: step terms of the bound drawn per example (T: all of them); default 100 for points, 10 for images",
        };
        var sampler = new Option<string?>("--sampler") { Description = "diffusion models: the sampler of the quality samples, ddpm (ancestral, all T steps) or ddim (default, 50 steps, eta 0)" };
        var steps = new Option<int?>("--steps") { Description = "diffusion models: DDIM steps S of the quality samples" };
        var eta = new Option<double?>("--eta") { Description = "diffusion models: DDIM eta of the quality samples (0: deterministic)" };
        var likelihood = new Option<string>("--likelihood") { Description = "on, or off to report sample metrics only", DefaultValueFactory = _ => "on" };
        var command = new Command("eval", "Evaluate a trained model: NLL in nats and bits/dim, labelled exact, bound or estimate.")
        {
            directory, data, split, json, samples, limit, device, dataRoot, progress, aisRuns, aisTemperatures, parzenSamples, qualitySamples, boundTimesteps,
            sampler, steps, eta, likelihood,
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
            bool likelihoodOn = parsed.GetValue(likelihood)!.Trim().ToLowerInvariant() switch
            {
                "on" => true,
                "off" => false,
                string other => throw new InvalidInputException($"--likelihood {other}: expected on or off."),
            };
            var request = new EvaluationRequest
            {
                Sampler = parsed.GetValue(sampler), SamplerSteps = parsed.GetValue(steps), SamplerEta = parsed.GetValue(eta), Likelihood = likelihoodOn,
                Directory = dir, Data = parsed.GetValue(data), Split = splitName, ImportanceSamples = k, Limit = limitValue,
                BoundTimesteps = parsed.GetValue(boundTimesteps) is int b ? CommonOptions.Positive("--bound-timesteps", b) : null,
                Device = parsed.GetValue(device)!, DataRoot = parsed.GetValue(dataRoot), Progress = progressMode,
                AisRuns = CommonOptions.Positive("--ais-runs", parsed.GetValue(aisRuns)),
                AisTemperatures = CommonOptions.Positive("--ais-temperatures", parsed.GetValue(aisTemperatures)),
                ParzenSamples = parsed.GetValue(parzenSamples) is int p ? AtMost("--parzen-samples", p == 0 ? 0 : CommonOptions.Positive("--parzen-samples", p), 1_000_000) : null,
                QualitySamples = parsed.GetValue(qualitySamples) is int q ? AtMost("--quality-samples", Math.Max(0, q), 1_000_000) : null,
            };
            EvaluationReport report = RunEvaluation.Evaluate(request, context.Error);
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

    private static void PrintTable(TextWriter output, EvaluationReport report)
    {
        output.WriteLine($"{report.Model} on {report.Data} ({report.Split}, {report.Examples} examples, {CommonOptions.Format(report.Seconds)} s)");
        if (report.NllNats is double nll)
            output.WriteLine($"  NLL        {CommonOptions.Format(nll)} nats  ({report.NllKind}{(report.IwaeK is int k ? $", k = {k}" : "")}" +
                $"{(report.Dequantization is string d ? $", {d} dequantization" : "")})");
        if (report.BitsPerDim is double bpd) output.WriteLine($"  bits/dim   {bpd:0.0000}");
        if (report.BoundTerms is int terms)
            output.WriteLine($"  bound      +- {CommonOptions.Format(report.NllStdErr ?? double.NaN)} nats (std err); {report.BoundTimesteps} of {terms} step terms per example");
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
            output.WriteLine($"  sampling   {CommonOptions.Format(q.SamplingSeconds / q.Samples)} s per sample{(report.Sampler is string s ? $" ({s})" : "")}");
        }
        if (report.ModeCoverage is { } m)
            output.WriteLine($"  modes_covered {m.ModesCovered} of {m.Modes}; high_quality_share {m.HighQualityShare:0.000} (within 3 std of a mode)");
        if (report.Translation is { } t)
        {
            output.WriteLine(t.Paired
                ? $"  translation {t.Direction}, {t.TestPairs} pairs: L1 per pixel, PSNR dB, SSIM per image (averaged), FID vs the targets" + (t.FeatureNetwork is string f ? $" ({f} features)" : "")
                : $"  translation {t.Direction}, {t.TestPairs} test inputs of unpaired domains: FID vs B's test images" + (t.FeatureNetwork is string g ? $" ({g} features)" : ""));
            output.WriteLine($"    model     L1 {Number(t.Model.L1, "0.0000")}  PSNR {Number(t.Model.Psnr, "0.00")}  SSIM {Number(t.Model.Ssim, "0.0000")}  FID {Number(t.Model.Fid, "0.00")}");
            if (t.Identity is { } id)
                output.WriteLine($"    identity  L1 {Number(id.L1, "0.0000")}  PSNR {Number(id.Psnr, "0.00")}  SSIM {Number(id.Ssim, "0.0000")}  FID {Number(id.Fid, "0.00")}");
        }
        if (report.Translation?.CycleL1 is double cycle) output.WriteLine($"    cycle     L1 {cycle:0.0000} (|F(G(a)) - a|)");
        if (report.ReconstructionMsePerPixel is double mse) output.WriteLine($"  reconstruction MSE {mse:0.000000} per pixel (decode(encoder mean), [0, 1] pixels)");
        foreach (string note in report.Notes) output.WriteLine($"  note: {note}");
        if (report.TrueNllNats is double truth)
            output.WriteLine($"  floor H    {CommonOptions.Format(truth)} nats (true density on these points: {CommonOptions.Format(report.TrueDensityTestNllNats ?? double.NaN)}); " +
                $"KL gap {CommonOptions.Format(report.KlGapNats ?? double.NaN)} +- {CommonOptions.Format(report.KlGapStdErr ?? double.NaN)} nats (paired)");
    }

    private static string Number(double? value, string format) => value is double v ? v.ToString(format, System.Globalization.CultureInfo.InvariantCulture) : "-";
}
