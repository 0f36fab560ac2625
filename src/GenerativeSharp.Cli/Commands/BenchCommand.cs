using System.CommandLine;
using System.Text.Json.Nodes;
using GenerativeSharp.Benchmarks;
using GenerativeSharp.Data;
using GenerativeSharp.Recipes;
using GenerativeSharp.Runtime;
using TorchSharp;

namespace GenerativeSharp.Cli.Commands;

/// <summary><c>gensharp bench [MODEL...]</c>: training-step, optimizer-step and sampling times per recipe.</summary>
internal static class BenchCommand
{
    public static Command Create(CliContext context)
    {
        var models = new Argument<string[]>("MODEL")
        {
            Description = $"recipes to measure, or {RecipeBenchmark.ConvStack} (default: every recipe and {RecipeBenchmark.ConvStack})",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var device = CommonOptions.Device();
        var json = new Option<bool>("--json") { Description = "print a JSON array, one object per workload" };
        var repeats = new Option<int>("--repeats") { Description = "timed repetitions per measurement", DefaultValueFactory = _ => 30 };
        var command = new Command("bench", "Measure training-step, optimizer-step and sampling times at each recipe's default batch size.")
        {
            models, device, json, repeats,
        };
        command.SetAction(parsed =>
        {
            string[] names = parsed.GetValue(models) ?? [];
            int n = CommonOptions.Positive("--repeats", parsed.GetValue(repeats));
            torch.Device target = TorchRuntime.ResolveDevice(parsed.GetValue(device)!);
            var workloads = names.Length == 0 ? ModelCatalog.All.Select(r => r.Info.Name).Append(RecipeBenchmark.ConvStack).ToList() : names.ToList();
            foreach (string name in workloads.Where(w => w != RecipeBenchmark.ConvStack)) ModelCatalog.Get(name);   // fail early on a typo
            var results = workloads.Select(w => w == RecipeBenchmark.ConvStack
                ? RecipeBenchmark.RunConvStack(target, repeats: n)
                : RecipeBenchmark.Run(ModelCatalog.Get(w), RecipeBenchmark.DataFor(ModelCatalog.Get(w)), target, repeats: n)).ToList();
            if (parsed.GetValue(json)) context.Out.WriteLine(ToJson(results).ToJsonString());
            else PrintTable(context.Out, results, target, n);
            return ExitCodes.Success;
        });
        return command;
    }

    private static JsonArray ToJson(IEnumerable<BenchmarkResult> results)
    {
        static JsonNode? Ms(double value) => double.IsFinite(value) ? JsonValue.Create(Math.Round(value, 4)) : null;
        var array = new JsonArray();
        foreach (BenchmarkResult r in results)
            array.Add(new JsonObject
            {
                ["recipe"] = r.Recipe, ["device"] = r.Device, ["batch_size"] = r.BatchSize, ["parameter_tensors"] = r.ParameterTensors,
                ["step_ms"] = Ms(r.Step.Median), ["step_ms_p10"] = Ms(r.Step.P10), ["step_ms_p90"] = Ms(r.Step.P90),
                ["forward_backward_ms"] = Ms(r.ForwardBackward.Median),
                ["optimizer_step_ms"] = Ms(r.OptimizerStep.Median), ["optimizer_step_ms_p10"] = Ms(r.OptimizerStep.P10),
                ["optimizer_step_ms_p90"] = Ms(r.OptimizerStep.P90),
                ["baseline_optimizer_step_ms"] = Ms(r.BaselineOptimizerStep.Median),
                ["baseline_optimizer_step_ms_p10"] = Ms(r.BaselineOptimizerStep.P10),
                ["baseline_optimizer_step_ms_p90"] = Ms(r.BaselineOptimizerStep.P90),
                ["sample_ms_per_item"] = r.SampleMsPerItem is double s ? Math.Round(s, 5) : null,
                ["sample_batch"] = r.SampleBatch,
                ["repeats"] = r.Repeats,
            });
        return array;
    }

    private static void PrintTable(TextWriter output, IEnumerable<BenchmarkResult> results, torch.Device device, int repeats)
    {
        output.WriteLine($"{TorchRuntime.Describe(device)}; medians of {repeats} timed repetitions after warm-up, ms (p10-p90)");
        output.WriteLine($"{"workload",-16}{"batch",6}{"tensors",8}  {"step",-24}{"fwd+bwd",-10}{"optimizer",-22}{"torch Adam",-22}{"sample/item",12}");
        foreach (BenchmarkResult r in results)
            output.WriteLine($"{r.Recipe,-16}{r.BatchSize,6}{r.ParameterTensors,8}  {Spread(r.Step),-24}{Number(r.ForwardBackward.Median),-10}" +
                $"{Spread(r.OptimizerStep),-22}{Spread(r.BaselineOptimizerStep),-22}{(r.SampleMsPerItem is double s ? s.ToString("0.0000") : "-"),12}");
    }

    private static string Spread(Summary s) => double.IsFinite(s.Median) ? $"{s.Median:0.000} ({s.P10:0.00}-{s.P90:0.00})" : "-";

    private static string Number(double value) => double.IsFinite(value) ? value.ToString("0.000") : "-";
}
