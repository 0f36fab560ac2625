using System.CommandLine;
using GenerativeSharp.Data;
using GenerativeSharp.Imaging;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Translation;
using GenerativeSharp.Runs;
using GenerativeSharp.Runtime;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Cli.Commands;

/// <summary>
/// <c>gensharp translate DIR --image IN.png --out OUT.png</c>: an image-to-image model's output for one image
/// (resized to the model's side by area averaging; written at the model's side), or <c>--test N --out grid.png</c>:
/// rows input | output | truth for the first N test pairs of the run's data. <c>--direction b2a</c> runs a CycleGAN's
/// B -> A generator F instead of G (domain A is the run's --data, B its --target); a model with no B -> A generator
/// (pix2pix) refuses it in one line. <c>--cycle</c> with <c>--test N</c> draws a CycleGAN's two directions and both cycles.
/// </summary>
internal static class TranslateCommand
{
    public static Command Create(CliContext context)
    {
        var directory = new Argument<string>("DIR") { Description = "a run directory of an image-to-image model (pix2pix, cyclegan)" };
        var image = new Option<string?>("--image") { Description = "a PNG or JPEG to translate (any size: resized to the model's by area averaging)" };
        var test = new Option<int?>("--test") { Description = "instead of --image: a figure of the first N test pairs (at most 64), rows input | output | truth" };
        var output = new Option<string>("--out") { Description = "the PNG to write", Required = true };
        var direction = new Option<string>("--direction")
        {
            Description = "a2b (the run's --data to its --target, the default) or b2a (cyclegan's F: B -> A)", DefaultValueFactory = _ => "a2b",
        };
        var cycleFigure = new Option<bool>("--cycle")
        {
            Description = "with --test N on a cyclegan: rows a | G(a) | F(G(a)) | b | F(b) | G(F(b)), both directions and their cycles",
        };
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var dataRoot = CommonOptions.DataRoot();
        var command = new Command("translate", "Translate an image with an image-to-image model (pix2pix, cyclegan), or draw a figure of its test pairs.")
        {
            directory, image, test, output, direction, cycleFigure, seed, device, dataRoot,
        };
        command.SetAction(parsed =>
        {
            string dir = parsed.GetValue(directory)!;
            string path = parsed.GetValue(output)!;
            string? input = parsed.GetValue(image);
            int? pairs = parsed.GetValue(test);
            if ((input is null) == (pairs is null))
                throw new InvalidInputException("give either --image IN.png or --test N.");
            if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
                throw new InvalidInputException($"--out {path}: expected a .png file name.");
            if (pairs is int n && (n < 1 || n > 64))
                throw new InvalidInputException($"--test {n}: expected 1 to 64 pairs.");
            TranslationDirection way = parsed.GetValue(direction)!.Trim().ToLowerInvariant() switch
            {
                "a2b" => TranslationDirection.AToB,
                "b2a" => TranslationDirection.BToA,
                string other => throw new InvalidInputException($"--direction {other}: expected a2b or b2a."),
            };
            long s = parsed.GetValue(seed);
            torch.Device target = TorchRuntime.ResolveDevice(parsed.GetValue(device)!);
            using LoadedCheckpoint checkpoint = Checkpoint.Load(dir, target);
            using var model = checkpoint.Model;
            if (model.Module is not IConditionalSampler { Context: ContextKind.PairedImage } translator)
                throw new InvalidInputException($"{dir} holds a {model.Recipe.Info.Name} run, which does not translate images " +
                    "(train pix2pix on paired data: --data DIR --target DIR2).");
            CycleGan? cycle = model.Module as CycleGan;
            if (way == TranslationDirection.BToA && cycle is null)
                throw new InvalidInputException($"--direction b2a: {model.Recipe.Info.Name} has no B -> A generator (only cyclegan translates both ways); drop --direction b2a.");
            if (parsed.GetValue(cycleFigure) && (cycle is null || pairs is null))
                throw new InvalidInputException(cycle is null
                    ? $"--cycle: {model.Recipe.Info.Name} has no B -> A generator (only cyclegan has cycles); drop --cycle."
                    : "--cycle draws test pairs: give --test N.");
            if (pairs is int count)
            {
                using DataSplits splits = TrainingRun.LoadData(checkpoint.State, parsed.GetValue(dataRoot), context.Error);
                if (parsed.GetValue(cycleFigure))
                {
                    SamplePictures.WriteCycles(path, cycle!, splits.Test, count);
                    context.Out.WriteLine($"wrote {Math.Min(count, splits.Test.Count)} test pairs (a | G(a) | F(G(a)) | b | F(b) | G(F(b))) of cyclegan to {path}");
                    return ExitCodes.Success;
                }
                SamplePictures.WriteTranslations(path, translator, splits.Test, count, s, way);
                context.Out.WriteLine($"wrote {Math.Min(count, splits.Test.Count)} test pairs (input | output | truth) of {model.Recipe.Info.Name}" +
                    $"{(cycle is null ? "" : way == TranslationDirection.AToB ? ", a2b" : ", b2a")} to {path}");
                return ExitCodes.Success;
            }
            long[] shape = way == TranslationDirection.BToA ? cycle!.EventShape
                : translator switch { Pix2Pix p => p.InputShape, CycleGan c => c.InputShape, _ => translator.EventShape };
            using var scope = torch.NewDisposeScope();
            torch.Tensor x = ImageFile.Read(input!, (int)shape[0], (int)shape[1]);                     // [1, C_in, S, S]
            using var generator = new torch.Generator((ulong)s, target);
            torch.Tensor y = (way == TranslationDirection.BToA ? cycle!.Translate(x, way) : translator.Sample(x.to(target), generator)).cpu();   // [1, C_out, S, S]
            ImageGrid.Write(path, y, columns: 1, padding: 0);
            context.Out.WriteLine($"wrote {model.Recipe.Info.Name}'s translation of {input} ({shape[1]} x {shape[2]}) to {path}");
            return ExitCodes.Success;
        });
        return command;
    }
}
