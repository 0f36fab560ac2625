using System.CommandLine;
using GenerativeSharp.Completion;
using GenerativeSharp.Data;
using GenerativeSharp.Imaging;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Autoregressive;
using GenerativeSharp.Runs;
using GenerativeSharp.Runtime;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Cli.Commands;

/// <summary>
/// <c>gensharp complete DIR</c>: fills in missing pixels with an autoregressive model, keeping every
/// known pixel. Either one image of the user's (<c>--image IN.png --mask MASK.png</c>, bright mask
/// pixels = missing) or a batch of test images with a generated hole (<c>--hole</c>).
/// </summary>
internal static class CompleteCommand
{
    public static Command Create(CliContext context)
    {
        var directory = new Argument<string>("DIR") { Description = "a run directory of an autoregressive model (nade, made, pixelcnn, gated-pixelcnn)" };
        var image = new Option<string?>("--image") { Description = "an image to complete (same size as the model's images)" };
        var mask = new Option<string?>("--mask") { Description = "with --image: a mask image, bright (>= 50%) where pixels are missing" };
        var hole = new Option<string>("--hole") { Description = "without --image: lower-half, right-half, center or watermark", DefaultValueFactory = _ => "lower-half" };
        var test = new Option<int>("--test") { Description = "without --image: how many test images", DefaultValueFactory = _ => 8 };
        var from = new Option<int>("--from") { Description = "without --image: index of the first test image", DefaultValueFactory = _ => 0 };
        var label = new Option<int?>("--label") { Description = "with --image, for a class-conditional model: the class" };
        var count = new Option<int>("--count") { Description = "completions per image", DefaultValueFactory = _ => 4 };
        var output = new Option<string?>("--out") { Description = "PNG file (default DIR/completion-HOLE.png); with --image and --count 1 the completed image itself" };
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var data = CommonOptions.Data(required: false);
        var dataRoot = CommonOptions.DataRoot();
        var command = new Command("complete", "Fill in missing pixels (a hole, a watermark) by sampling them in the model's order; known pixels never change.")
        {
            directory, image, mask, hole, test, from, label, count, output, seed, device, data, dataRoot,
        };
        command.SetAction(parsed =>
        {
            string dir = parsed.GetValue(directory)!;
            int completions = CommonOptions.Positive("--count", parsed.GetValue(count));
            string? imagePath = parsed.GetValue(image), maskPath = parsed.GetValue(mask);
            if (imagePath is null != maskPath is null)
                throw new InvalidInputException("--image and --mask go together: give both, or neither (then --hole masks test images).");
            torch.Device target = TorchRuntime.ResolveDevice(parsed.GetValue(device)!);
            using LoadedCheckpoint checkpoint = Checkpoint.Load(dir, target);
            using var model = checkpoint.Model;
            if (model.Model is not ICompletionModel completer)
                throw new InvalidInputException(
                    $"{model.Recipe.Info.Name} cannot complete images: completion needs an autoregressive model (nade, made, pixelcnn, gated-pixelcnn).");
            long[] shape = model.Model.EventShape;
            if (shape.Length != 3) throw new InvalidInputException($"{model.Recipe.Info.Name} in {dir} models points, not images.");
            bool binary = checkpoint.State.Binarize != BinarizationMode.None;
            using var scope = torch.NewDisposeScope();
            torch.Tensor? originals = null, labels = null;
            torch.Tensor inputs, known, conditioning;
            string holeName;
            if (imagePath is not null)
            {
                inputs = ReadMatching(imagePath, shape, "--image").unsqueeze(0);                           // [1, 1, H, W]
                known = CompletionMasks.FromMaskImage(ReadMatching(maskPath!, shape, "--mask")).unsqueeze(0);
                conditioning = binary ? inputs.ge(0.5).to(torch.float32) : inputs;                         // a user's gray image, thresholded
                if (parsed.GetValue(label) is int l) labels = torch.tensor(new long[] { l });
                holeName = "image";
            }
            else
            {
                HoleShape holeShape = CompletionMasks.Parse(parsed.GetValue(hole)!);
                int n = CommonOptions.Positive("--test", parsed.GetValue(test)), first = parsed.GetValue(from);
                string dataSpec = parsed.GetValue(data) ?? checkpoint.State.Data;
                using DataSplits splits = TrainingRun.LoadData(checkpoint.State, parsed.GetValue(dataRoot), context.Error, dataSpec == checkpoint.State.Data ? null : dataSpec);
                if (!splits.Test.EventShape.SequenceEqual(shape))
                    throw new InvalidInputException($"{dataSpec} holds [{string.Join(", ", splits.Test.EventShape)}] examples; the model expects [{string.Join(", ", shape)}].");
                if (first < 0 || first + n > splits.Test.Count)
                    throw new InvalidInputException($"--from {first} --test {n}: the test set has {splits.Test.Count} images.");
                // The test images as eval sees them: statically binarized for a binary model.
                torch.Tensor prepared = binary ? Binarization.Static(splits.Test.Examples) : splits.Test.Examples;
                originals = prepared.narrow(0, first, n).clone();
                inputs = originals;
                known = CompletionMasks.Make(holeShape, n, shape[1], shape[2]);
                conditioning = originals;
                labels = splits.Test.Labels?.narrow(0, first, n).clone();
                holeName = parsed.GetValue(hole)!.Trim().ToLowerInvariant();
            }
            labels = model.Module is IConditionalSampler { Context: ContextKind.ClassLabel }
                ? labels ?? throw new InvalidInputException("this model is class-conditional: give --label (or use test images, which carry labels).")
                : null;

            // R completions of each of the N images as one batch: [R*N, 1, H, W].
            long images = inputs.shape[0];
            torch.Tensor batch = conditioning.repeat(completions, 1, 1, 1).to(target);
            torch.Tensor knownBatch = known.repeat(completions, 1, 1, 1).to(target);
            using var generator = new torch.Generator(Seeds.Derive(parsed.GetValue(seed), 7), target);
            torch.Tensor filled = model.Module is PixelAutoregressiveModel pixel && labels is not null
                ? pixel.Complete(batch, knownBatch, labels.repeat(completions).to(target), generator)
                : completer.Complete(batch, knownBatch, generator);
            // Known pixels are returned exactly as given (a user's gray values, not the thresholded ones).
            torch.Tensor result = torch.where(knownBatch.cpu().eq(1), inputs.repeat(completions, 1, 1, 1), filled.cpu())
                .view(completions, images, shape[0], shape[1], shape[2]);                                 // [R, N, 1, H, W]

            string path = parsed.GetValue(output) ?? Path.Combine(dir, $"completion-{holeName}.png");
            if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
                throw new InvalidInputException($"--out {path}: expected a .png file name.");
            if (imagePath is not null && completions == 1)
                ImageGrid.Write(path, result[0], columns: 1, padding: 0);
            else
                CompletionFigure.Render(originals, inputs, known, result).WritePng(path);
            long missing = known.eq(0).sum().item<long>() / images;
            context.Out.WriteLine($"wrote {path}: {images} image(s), {completions} completion(s) each, {missing} missing pixels per image; known pixels unchanged");
            return ExitCodes.Success;
        });
        return command;
    }

    private static torch.Tensor ReadMatching(string path, long[] shape, string option)
    {
        torch.Tensor image = GrayImageFile.Read(path);
        if (!image.shape.SequenceEqual(shape))
            throw new InvalidInputException($"{option} {path} is {image.shape[2]}x{image.shape[1]} pixels; the model's images are {shape[2]}x{shape[1]}.");
        return image;
    }
}
