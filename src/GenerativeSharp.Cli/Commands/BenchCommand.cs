using System.CommandLine;
using System.Text.Json.Nodes;
using GenerativeSharp.Benchmarks;
using GenerativeSharp.Data;
using GenerativeSharp.Recipes;
using GenerativeSharp.Runtime;
using TorchSharp;

namespace GenerativeSharp.Cli.Commands;

/// <summary><c>gensharp bench [MODEL...]</c>: training-step time and sampling throughput per recipe.</summary>
internal static class BenchCommand
{
    public static Command Create(CliContext context)
    {
        var models = new Argument<string[]>("MODEL") { Description = "recipes to measure (default: all)", Arity = ArgumentArity.ZeroOrMore };
        var device = CommonOptions.Device();
        var json = new Option<bool>("--json") { Description = "print a JSON array, one object per recipe" };
        var repeats = new Option<int>("--repeats") { Description = "timed steps per recipe", DefaultValueFactory = _ => 30 };
        var command = new Command("bench", "Measure training-step time and sampling time of each recipe at its default batch size.")
        {
            models, device, json, repeats,
        };
        command.SetAction(parsed =>
        {
            var names = parsed.GetValue(models) ?? [];
            var recipes = names.Length == 0 ? ModelCatalog.All : names.Select(ModelCatalog.Get).ToList();
            int n = CommonOptions.Positive("--repeats", parsed.GetValue(repeats));
            torch.Device target = TorchRuntime.ResolveDevice(parsed.GetValue(device)!);
            var results = recipes.Select(r => RecipeBenchmark.Run(r, DataKind.Images, target, repeats: n)).ToList();
            if (parsed.GetValue(json))
            {
                var array = new JsonArray();
                foreach (BenchmarkResult r in results)
                    array.Add(new JsonObject
                    {
                        ["recipe"] = r.Recipe, ["device"] = r.Device, ["batch_size"] = r.BatchSize,
                        ["step_ms"] = Math.Round(r.StepMs, 4), ["step_ms_p10"] = Math.Round(r.StepMsP10, 4),
                        ["step_ms_p90"] = Math.Round(r.StepMsP90, 4), ["repeats"] = r.Repeats,
                        ["sample_ms_per_item"] = Math.Round(r.SampleMsPerItem, 5), ["sample_batch"] = r.SampleBatch,
                    });
                context.Out.WriteLine(array.ToJsonString());
                return ExitCodes.Success;
            }
            context.Out.WriteLine($"{TorchRuntime.Describe(target)}; median of {n} steps after warm-up (p10-p90)");
            context.Out.WriteLine($"{"recipe",-12}{"batch",6}{"step ms",12}{"p10-p90",18}{"sample ms/item",16}");
            foreach (BenchmarkResult r in results)
                context.Out.WriteLine($"{r.Recipe,-12}{r.BatchSize,6}{r.StepMs,12:0.000}{$"{r.StepMsP10:0.000}-{r.StepMsP90:0.000}",18}{r.SampleMsPerItem,16:0.0000}");
            return ExitCodes.Success;
        });
        return command;
    }
}
