using System.CommandLine;
using GenerativeSharp.Interop;

namespace GenerativeSharp.Cli.Commands;

/// <summary><c>gensharp export DIR --out FILE.safetensors</c>: the weights alone, under the matching PyTorch module's names (docs/interop.md).</summary>
internal static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var directory = new Argument<string>("DIR") { Description = "a run directory written by 'gensharp train' or 'gensharp import'" };
        var output = new Option<string>("--out") { Description = "the safetensors file to write (weights only, PyTorch names)", Required = true };
        var testOutput = new Option<string?>("--test-out")
        {
            Description = "also write the test examples as eval scores them (binarized as eval does), a VAE's noise draws, and our NLL on them",
        };
        var limit = new Option<int?>("--limit") { Description = "with --test-out: only the first N test examples" };
        var dataRoot = CommonOptions.DataRoot();
        var command = new Command("export", "Write a model's weights for PyTorch (vae, made, gated-pixelcnn, realnvp on points).")
        {
            directory, output, testOutput, limit, dataRoot,
        };
        command.SetAction(parsed =>
        {
            int? n = parsed.GetValue(limit) is int l ? CommonOptions.Positive("--limit", l) : null;
            if (n is not null && parsed.GetValue(testOutput) is null)
                throw new InvalidInputException("--limit: it counts the test examples of --test-out; give --test-out FILE.safetensors too.");
            string path = parsed.GetValue(output)!;
            ExportResult result = WeightExport.Export(parsed.GetValue(directory)!, path, parsed.GetValue(testOutput), n,
                parsed.GetValue(dataRoot), context.Error);
            context.Out.WriteLine($"wrote {path}: {result.Tensors} tensors named as {result.Module}");
            if (parsed.GetValue(testOutput) is string test)
                context.Out.WriteLine($"wrote {test}: {result.TestExamples} test examples; our NLL {result.NllNats:R} nats ({result.NllKind})");
            return ExitCodes.Success;
        });
        return command;
    }
}
