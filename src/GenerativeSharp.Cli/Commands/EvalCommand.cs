using System.CommandLine;
using GenerativeSharp.Data;
using GenerativeSharp.Evaluation;
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
        var command = new Command("eval", "Evaluate a trained model: NLL in nats and bits/dim, labelled exact, bound or estimate.")
        {
            directory, data, split, json, samples, limit, device, dataRoot, progress,
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
            EvaluationReport report = Evaluate(dir, parsed.GetValue(data), splitName, k, limitValue, target,
                parsed.GetValue(dataRoot), progressMode, context);
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
        string? dataRoot, ProgressMode progressMode, CliContext context)
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
        return LikelihoodEvaluator.Evaluate(model.Model, prepared, model.Recipe.Info.Name, spec, splitName,
            k, Trainer.EvaluationSeed, target, splits.Toy?.EntropyNats, ProgressReporter.ForConsole(progressMode));
    }

    private static void PrintTable(TextWriter output, EvaluationReport report)
    {
        output.WriteLine($"{report.Model} on {report.Data} ({report.Split}, {report.Examples} examples, {CommonOptions.Format(report.Seconds)} s)");
        if (report.NllNats is double nll)
            output.WriteLine($"  NLL        {CommonOptions.Format(nll)} nats  ({report.NllKind}{(report.IwaeK is int k ? $", k = {k}" : "")})");
        if (report.BitsPerDim is double bpd) output.WriteLine($"  bits/dim   {bpd:0.0000}");
        if (report.ElboNats is double elbo) output.WriteLine($"  -ELBO      {CommonOptions.Format(elbo)} nats  (bound)");
        if (report.TrueNllNats is double truth)
            output.WriteLine($"  floor H    {CommonOptions.Format(truth)} nats; KL gap {CommonOptions.Format(report.KlGapNats ?? double.NaN)} nats");
    }
}
