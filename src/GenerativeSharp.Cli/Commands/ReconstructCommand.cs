using System.CommandLine;
using GenerativeSharp.Data;
using GenerativeSharp.Imaging;
using GenerativeSharp.Models;
using GenerativeSharp.Runs;
using GenerativeSharp.Runtime;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Cli.Commands;

/// <summary>
/// <c>gensharp reconstruct DIR [DIR...] --test N --out grid.png</c>: the first N test images in the top row, then one row
/// per run of decode(encode(x)) (a VAE's decoder mean at its posterior mean, a VQ-VAE's decode of the nearest codes, a
/// flow's exact inverse, a GAN's latent found by inversion), so that models trained on the same data compare side by side.
/// Prints each run's mean squared error per pixel against the test images.
/// </summary>
internal static class ReconstructCommand
{
    private const int MaxImages = 64;

    public static Command Create(CliContext context)
    {
        var directories = new Argument<string[]>("DIR") { Description = "run directories of models with a latent space, trained on the same data", Arity = ArgumentArity.OneOrMore };
        var test = new Option<int>("--test") { Description = $"how many test images, the first of the test split (1 to {MaxImages})", DefaultValueFactory = _ => 8 };
        var output = new Option<string>("--out") { Description = "PNG file of the grid: test images, then one row per run", Required = true };
        var device = CommonOptions.Device();
        var dataRoot = CommonOptions.DataRoot();
        var command = new Command("reconstruct", "Draw test images beside their reconstructions by one or more runs.")
        {
            directories, test, output, device, dataRoot,
        };
        command.SetAction(parsed =>
        {
            string[] dirs = parsed.GetValue(directories)!;
            int count = parsed.GetValue(test);
            if (count is < 1 or > MaxImages) throw new InvalidInputException($"--test {count}: expected an integer from 1 to {MaxImages}.");
            torch.Device target = TorchRuntime.ResolveDevice(parsed.GetValue(device)!);
            using var scope = torch.NewDisposeScope();
            torch.Tensor? originals = null;
            string? firstData = null;
            var rows = new List<torch.Tensor>();
            var loaded = new Dictionary<(string Data, string? Target, int? Size), torch.Tensor>();   // runs of the same data read it once
            var legend = new List<string>();
            foreach (string dir in dirs)
            {
                using LoadedCheckpoint checkpoint = Checkpoint.Load(dir, target);
                using var model = checkpoint.Model;
                if (model.Model is not ILatentModel latent)
                    throw new InvalidInputException($"{dir} holds {model.Recipe.Info.Name}, which has no latent space to reconstruct through.");
                var key = (checkpoint.State.Data, checkpoint.State.Target, checkpoint.State.ImageSize);
                if (!loaded.TryGetValue(key, out torch.Tensor? images))
                    loaded[key] = images = TestImages(checkpoint.State, parsed.GetValue(dataRoot), count, context);
                if (originals is null) { originals = images; firstData = checkpoint.State.Data; }
                else if (!images.shape.SequenceEqual(originals.shape) || !images.equal(originals).all().item<bool>())
                    throw new InvalidInputException($"{dir} was trained on {checkpoint.State.Data}, not on the test images of {firstData}: reconstructions compare runs of the same data.");
                bool binary = checkpoint.State.Binarize != BinarizationMode.None;
                torch.Tensor inputs = (binary ? Binarization.Static(images) : images).to(target);   // the model's inputs as eval sees them
                torch.Tensor decoded;
                using (torch.no_grad()) decoded = latent.Decode(latent.Encode(inputs)).cpu().clamp(0, 1);
                double mse = (decoded - images).square().mean().item<float>();
                rows.Add(decoded);
                legend.Add($"row {rows.Count + 1}: {dir} ({model.Recipe.Info.Name}{(binary ? ", binarized input" : "")}), mean squared error per pixel {mse:F5}");
            }
            string path = parsed.GetValue(output)!;
            ImageGrid.Write(path, torch.cat([originals!, .. rows], 0), columns: count, padding: 2, scale: 2);   // [(1 + runs) * N, C, H, W]
            context.Out.WriteLine($"wrote {path}: row 1: the first {count} test images of {firstData}");
            foreach (string line in legend) context.Out.WriteLine(line);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The first <paramref name="count"/> test images of a run's data, [count, C, H, W] in [0, 1].</summary>
    private static torch.Tensor TestImages(TrainingState state, string? dataRoot, int count, CliContext context)
    {
        using DataSplits splits = TrainingRun.LoadData(state, dataRoot, context.Error);
        if (!splits.Description.IsImage) throw new InvalidInputException($"{state.Data} holds no images: reconstruct draws images.");
        if (splits.Test.Count < count) throw new InvalidInputException($"--test {count}: the test split of {state.Data} has {splits.Test.Count} images.");
        return splits.Test.Examples.narrow(0, 0, count).clone();
    }
}
