using System.CommandLine;
using GenerativeSharp.Interop;

namespace GenerativeSharp.Cli.Commands;

/// <summary><c>gensharp import FILE --model NAME --out DIR</c>: a PyTorch state dict (safetensors or torch.save's .pt) into a run directory (docs/interop.md).</summary>
internal static class ImportCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "a PyTorch state dict (safetensors, or torch.save's .pt/.pth) with the names of docs/interop.md" };
        var model = new Option<string>("--model") { Description = "vae, made, gated-pixelcnn or realnvp", Required = true };
        var settings = new Option<string[]>("--set") { Description = "model option KEY=VALUE giving the weights' shapes (repeatable)" };
        var data = CommonOptions.Data(required: false);
        var output = new Option<string>("--out") { Description = "the run directory to write", Required = true };
        var dataRoot = CommonOptions.DataRoot();
        var command = new Command("import", "Read PyTorch weights into a run directory that sample, eval and the other commands use.")
        {
            file, model, settings, data, output, dataRoot,
        };
        command.SetAction(parsed =>
        {
            string dir = parsed.GetValue(output)!;
            WeightImport.Import(new ImportRequest
            {
                File = parsed.GetValue(file)!, Model = parsed.GetValue(model)!, Output = dir, Data = parsed.GetValue(data),
                Settings = TrainCommand.ParseSettings(parsed.GetValue(settings) ?? []), DataRoot = parsed.GetValue(dataRoot),
            }, context.Error);
            context.Out.WriteLine($"wrote {dir}: {parsed.GetValue(model)} with the weights of {parsed.GetValue(file)} (sample and eval it; it has no optimizer state to resume)");
            return ExitCodes.Success;
        });
        return command;
    }
}
