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

/// <summary>
/// <c>gensharp attribute DIR --from CLASS --to CLASS (--image IN.png | --test N) --out strip.png</c>: latent attribute
/// arithmetic (White 2016; Hou et al. 2017, 4.3) with a VAE-family run on labelled data. Each row: the input, then
/// decode(code + s · (mean code of --to − mean code of --from)) for K values of s.
/// </summary>
internal static class AttributeCommand
{
    public static Command Create(CliContext context)
    {
        var directory = new Argument<string>("DIR") { Description = "a run directory of a VAE-family model (vae, dfc-vae) trained on labelled data" };
        var from = new Option<string>("--from") { Description = "the class moved away from, as the data names it (e.g. \"ankle boot\")", Required = true };
        var to = new Option<string>("--to") { Description = "the class moved towards", Required = true };
        var image = new Option<string?>("--image") { Description = "a PNG or JPEG to move (resized to the model's images)" };
        var test = new Option<int?>("--test") { Description = "instead of --image: the first N test images of class --from (at most 64)" };
        var output = new Option<string>("--out") { Description = "PNG file of the strip, one row per image", Required = true };
        var steps = new Option<int>("--steps") { Description = "decoded steps per row, ends included", DefaultValueFactory = _ => 8 };
        var extrapolate = new Option<bool>("--extrapolate") { Description = "let s run from -1 to 2 instead of 0 to 1" };
        var device = CommonOptions.Device();
        var dataRoot = CommonOptions.DataRoot();
        var command = new Command("attribute", "Move images along a class attribute vector in a VAE's latent space and draw the strip.")
        {
            directory, from, to, image, test, output, steps, extrapolate, device, dataRoot,
        };
        command.SetAction(parsed =>
        {
            string dir = parsed.GetValue(directory)!;
            string? input = parsed.GetValue(image);
            int? count = parsed.GetValue(test);
            if ((input is null) == (count is null)) throw new InvalidInputException("give either --image IN.png or --test N.");
            if (count is int c && c is < 1 or > 64) throw new InvalidInputException($"--test {c}: expected an integer from 1 to 64.");
            int k = parsed.GetValue(steps);
            if (k < 2) throw new InvalidInputException($"--steps {k}: expected an integer >= 2.");
            torch.Device target = TorchRuntime.ResolveDevice(parsed.GetValue(device)!);
            using LoadedCheckpoint checkpoint = Checkpoint.Load(dir, target);
            using var model = checkpoint.Model;
            if (model.Model is not ILatentModel latent || model.Recipe.Info.Cell != TaxonomyCell.Variational)
                throw new InvalidInputException($"attribute needs a VAE-family run (vae, dfc-vae); {dir} holds {model.Recipe.Info.Name}.");
            using DataSplits splits = TrainingRun.LoadData(checkpoint.State, parsed.GetValue(dataRoot), context.Error);
            IReadOnlyList<string> names = splits.Description.ClassNames;
            if (names.Count < 2 || splits.Train.Labels is null)
                throw new InvalidInputException($"{checkpoint.State.Data} has no class labels: attribute vectors need labelled data.");
            int a = ClassIndex(names, parsed.GetValue(from)!, "--from"), b = ClassIndex(names, parsed.GetValue(to)!, "--to");
            bool binary = checkpoint.State.Binarize != BinarizationMode.None;
            using var scope = torch.NewDisposeScope();
            // The model's inputs as eval sees them: statically binarized for a binary model.
            torch.Tensor train = binary ? Binarization.Static(splits.Train.Examples) : splits.Train.Examples;
            torch.Tensor means = AttributeVectors.ClassMeans(latent, train, splits.Train.Labels, names.Count, target);   // [K, ...latent]
            torch.Tensor vector = means[b] - means[a];
            torch.Tensor inputs = input is not null
                ? ImageFile.Read(input, (int)latent.EventShape[0], (int)latent.EventShape[1])
                : TestImagesOf(splits, a, count!.Value, names[a]);
            if (!inputs.shape.Skip(1).SequenceEqual(latent.EventShape))
                throw new InvalidInputException($"the model's images are [{string.Join(", ", latent.EventShape)}]; --image gives [{string.Join(", ", inputs.shape.Skip(1))}].");
            if (binary) inputs = Binarization.Static(inputs);
            double low = parsed.GetValue(extrapolate) ? -1 : 0, high = parsed.GetValue(extrapolate) ? 2 : 1;
            long n = inputs.shape[0];
            torch.Tensor walked = AttributeVectors.Walk(latent, inputs.to(target), vector, k, low, high).cpu();   // [n*k, C, H, W]
            torch.Tensor rows = torch.cat([inputs.unsqueeze(1), walked.view(new[] { n, (long)k }.Concat(latent.EventShape).ToArray())], 1)
                .view(new[] { n * (k + 1) }.Concat(latent.EventShape).ToArray());   // [n, 1 + k, C, H, W] -> [n * (1 + k), C, H, W]
            string path = parsed.GetValue(output)!;
            ImageGrid.Write(path, rows, columns: k + 1, padding: 2, scale: 2);
            context.Out.WriteLine($"wrote {path}: {n} row(s), each the input then {k} decodes of code + s * (mean '{names[b]}' - mean '{names[a]}'), s = {low} to {high}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static int ClassIndex(IReadOnlyList<string> names, string name, string option)
    {
        for (int i = 0; i < names.Count; i++)
            if (string.Equals(names[i], name.Trim(), StringComparison.OrdinalIgnoreCase)) return i;
        throw new InvalidInputException($"{option} '{name}': unknown class; expected one of {string.Join(", ", names.Select(n => $"\"{n}\""))}.");
    }

    /// <summary>The first <paramref name="count"/> test images labelled <paramref name="label"/>: [count, C, H, W].</summary>
    private static torch.Tensor TestImagesOf(DataSplits splits, int label, int count, string name)
    {
        torch.Tensor labels = splits.Test.Labels ?? throw new InvalidInputException("the test split has no labels; use --image.");
        torch.Tensor indices = (labels == label).nonzero().flatten();
        if (indices.numel() < count)
            throw new InvalidInputException($"--test {count}: the test split has {indices.numel()} images of class '{name}'.");
        return splits.Test.Examples.index_select(0, indices.narrow(0, 0, count));
    }
}
