using System.CommandLine;
using GenerativeSharp.Data;
using GenerativeSharp.Imaging;
using GenerativeSharp.Latent;
using GenerativeSharp.Models;
using GenerativeSharp.Runs;
using GenerativeSharp.Runtime;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Cli.Commands;

/// <summary><c>gensharp interpolate DIR</c>: a PNG strip walking the latent space between two test images.</summary>
internal static class InterpolateCommand
{
    public static Command Create(CliContext context)
    {
        var directory = new Argument<string>("DIR") { Description = "a run directory of a latent-variable model" };
        var data = CommonOptions.Data(required: false);
        var from = new Option<int>("--from") { Description = "index of the first test image", DefaultValueFactory = _ => 0 };
        var to = new Option<int>("--to") { Description = "index of the second test image", DefaultValueFactory = _ => 1 };
        var steps = new Option<int>("--steps") { Description = "images along the path, ends included", DefaultValueFactory = _ => 10 };
        var spherical = new Option<bool>("--spherical") { Description = "walk a great circle (slerp) instead of a line" };
        var output = new Option<string?>("--out") { Description = "PNG file (default DIR/interpolation-FROM-TO.png)" };
        var seeds = new Option<string?>("--seeds") { Description = "walk between the latent codes of two seeds A,B (as 'breed' numbers them) instead of two test images" };
        var device = CommonOptions.Device();
        var dataRoot = CommonOptions.DataRoot();
        var command = new Command("interpolate", "Encode two test images and decode the path between them into a PNG strip.")
        {
            directory, data, from, to, steps, spherical, output, device, dataRoot, seeds,
        };
        command.SetAction(parsed =>
        {
            string dir = parsed.GetValue(directory)!;
            int a = parsed.GetValue(from), b = parsed.GetValue(to);
            int n = parsed.GetValue(steps);
            if (n < 2) throw new InvalidInputException($"--steps {n}: expected an integer >= 2.");
            torch.Device target = TorchRuntime.ResolveDevice(parsed.GetValue(device)!);
            using LoadedCheckpoint checkpoint = Checkpoint.Load(dir, target);
            using var model = checkpoint.Model;
            if (model.Model is not ILatentModel latent)
                throw new InvalidInputException($"{model.Recipe.Info.Name} has no latent space to interpolate in.");
            InterpolationPath walk = parsed.GetValue(spherical) ? InterpolationPath.Spherical : InterpolationPath.Linear;
            if (parsed.GetValue(seeds) is string pair)
                return BetweenSeeds(context, dir, latent, pair, n, walk, parsed.GetValue(output), target);
            string dataSpec = parsed.GetValue(data) ?? checkpoint.State.Data;
            using DataSplits splits = TrainingRun.LoadData(checkpoint.State, parsed.GetValue(dataRoot), context.Error, dataSpec == checkpoint.State.Data ? null : dataSpec);
            if (!splits.Description.IsImage)
                throw new InvalidInputException($"interpolate draws image strips; {dataSpec} is not image data.");
            foreach (int index in new[] { a, b })
                if (index < 0 || index >= splits.Test.Count)
                    throw new InvalidInputException($"image index {index} is outside the test set (0 to {splits.Test.Count - 1}).");
            string path = parsed.GetValue(output) ?? Path.Combine(dir, $"interpolation-{a}-{b}.png");
            using var scope = torch.NewDisposeScope();
            torch.Tensor Pick(int i)
            {
                torch.Tensor x = splits.Test.Examples.narrow(0, i, 1);
                return (checkpoint.State.Binarize == BinarizationMode.None ? x : Binarization.Static(x)).to(target);
            }
            torch.Tensor xa = Pick(a), xb = Pick(b);
            torch.Tensor path_ = LatentInterpolation.BetweenExamples(latent, xa, xb, n, walk);
            torch.Tensor strip = torch.cat([xa, path_, xb], 0).cpu();             // [n + 2, C, H, W]
            ImageGrid.Write(path, strip, columns: n + 2, padding: 2, scale: 2);
            context.Out.WriteLine($"wrote {path}: test image {a}, {n} decoded steps, test image {b}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Decodes the path between the genomes of two seeds (a stored child's, else drawn from the seed); on a
    /// conditional GAN the class weights move along a straight line beside the code.
    /// </summary>
    private static int BetweenSeeds(CliContext context, string dir, ILatentModel latent, string pair, int steps, InterpolationPath walk,
        string? output, torch.Device target)
    {
        string[] parts = pair.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !long.TryParse(parts[0], out long a) || !long.TryParse(parts[1], out long b) || a < 0 || b < 0)
            throw new InvalidInputException($"--seeds {pair}: expected two non-negative integer seeds A,B.");
        GenomeLayout layout = GenomeLayout.Of(latent, "--seeds");                  // a conditional GAN's genomes carry class genes
        var book = Breeding.Open(dir);
        using var scope = torch.NewDisposeScope();
        torch.Tensor genomes = layout.Between(layout.Of(book, a), layout.Of(book, b), steps, walk);   // [steps, L + C]
        torch.Tensor strip = layout.Decode(latent, genomes.to(target)).cpu();
        string path = output ?? Path.Combine(dir, $"interpolation-seeds-{a}-{b}.png");
        ImageGrid.Write(path, strip, columns: steps, padding: 2, scale: 2);
        context.Out.WriteLine($"wrote {path}: {steps} decoded steps from seed {a} to seed {b} ({walk.ToString().ToLowerInvariant()})");
        return ExitCodes.Success;
    }
}
