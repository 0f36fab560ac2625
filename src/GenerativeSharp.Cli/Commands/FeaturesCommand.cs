using System.CommandLine;
using System.Globalization;
using GenerativeSharp.Data;
using GenerativeSharp.Evaluation;
using GenerativeSharp.Runtime;
using TorchSharp;

namespace GenerativeSharp.Cli.Commands;

/// <summary>
/// <c>gensharp features --data DATA [--data DATA2 ...] [--image-size S] --out FILE</c>: trains the feature
/// network of the sample-quality metrics (<see cref="FeatureClassifier"/>) and writes its weights as
/// safetensors, with the command, seed, input shape, class count, test accuracy and the SHA-256 of each
/// test split (<see cref="DataFingerprint"/>) in the metadata. Repeating --data trains on the union of the
/// training splits (the data sets must have the same image shape and class names) and reports the accuracy
/// on the union of the test splits and on each one. The versioned weights in Evaluation/Weights were made this way.
/// </summary>
internal static class FeaturesCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<string[]>("--data")
        {
            Description = "labelled images: fashion-mnist, mnist, mnist-10k, a directory of IDX files or an image folder; " +
                "repeat to train on the union of several (e.g. two styles of one image set)",
            Required = true,
        };
        var epochs = new Option<int>("--epochs") { Description = "training epochs", DefaultValueFactory = _ => 3 };
        var output = new Option<string>("--out") { Description = "safetensors file to write", Required = true };
        var imageSize = CommonOptions.ImageSize();
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var dataRoot = CommonOptions.DataRoot();
        var command = new Command("features", "Train the CNN classifier whose penultimate features feed FID, KID and precision/recall.")
        {
            data, epochs, output, imageSize, seed, device, dataRoot,
        };
        command.SetAction(parsed =>
        {
            string[] specs = parsed.GetValue(data)!;
            int n = CommonOptions.Positive("--epochs", parsed.GetValue(epochs));
            long s = parsed.GetValue(seed);
            string path = parsed.GetValue(output)!;
            int? size = parsed.GetValue(imageSize);
            torch.Device target = TorchRuntime.ResolveDevice(parsed.GetValue(device)!);
            var options = new DataOptions { DataRoot = parsed.GetValue(dataRoot), Seed = s, ImageSize = size, Progress = context.Error };
            var loaded = new List<DataSplits>();
            try
            {
                foreach (string spec in specs) loaded.Add(DataCatalog.Load(spec, options));
                DataSplits first = Check(loaded);
                string[] hashes = [.. loaded.Select(d => d.TestSha256)];
                for (int i = 0; i < loaded.Count; i++)
                    context.Error.WriteLine($"{loaded[i].Spec}: {loaded[i].Train.Count} train, {loaded[i].Test.Count} test images, test split sha256 {hashes[i]}");
                using TensorDataset train = TensorDataset.Concatenate([.. loaded.Select(d => d.Train)]);
                using TensorDataset test = TensorDataset.Concatenate([.. loaded.Select(d => d.Test)]);
                FeatureClassifierResult result = FeatureClassifierTraining.Train(train, test, first.Description.ClassCount, first.EventShape,
                    n, s, target, context.Error);
                using FeatureClassifier network = result.Network;
                string accuracy = Format(result.TestAccuracy);
                string each = string.Join(", ", loaded.Select(d => $"{d.Spec} {Format(FeatureClassifierTraining.Accuracy(network, d.Test, torch.CPU))}"));
                string sizeFlag = size is int px ? $" --image-size {px}" : "";
                network.Save(path, new Dictionary<string, string>
                {
                    ["gensharp_feature_network"] = "FeatureClassifier",
                    ["gensharp_command"] = $"gensharp features {string.Join(" ", specs.Select(d => $"--data {d}"))}{sizeFlag} --epochs {n} --seed {s}",
                    ["gensharp_test_accuracy"] = accuracy,
                    ["gensharp_test_accuracy_each"] = each,
                    ["gensharp_data"] = string.Join("; ", loaded.Select(d => d.Source)),
                    ["gensharp_fits_test_sha256"] = string.Join(",", hashes),
                });
                context.Out.WriteLine($"wrote {path}: test accuracy {accuracy} ({test.Count} test images) after {n} epochs ({result.Seconds:F0} s)" +
                    (loaded.Count > 1 ? $"; each: {each}" : ""));
                return ExitCodes.Success;
            }
            finally
            {
                foreach (DataSplits d in loaded) d.Dispose();
            }
        });
        return command;
    }

    /// <summary>The first data set, after checking that all have labels, one image shape and the same class names.</summary>
    private static DataSplits Check(IReadOnlyList<DataSplits> loaded)
    {
        DataSplits first = loaded[0];
        foreach (DataSplits other in loaded.Skip(1))
        {
            if (!other.EventShape.SequenceEqual(first.EventShape))
                throw new InvalidInputException($"{other.Spec} has images [{string.Join(", ", other.EventShape)}] but {first.Spec} [{string.Join(", ", first.EventShape)}]; " +
                    "give --image-size to read folders at one size.");
            if (!other.Description.ClassNames.SequenceEqual(first.Description.ClassNames))
                throw new InvalidInputException($"{other.Spec} and {first.Spec} have different classes ({string.Join(", ", other.Description.ClassNames)} vs " +
                    $"{string.Join(", ", first.Description.ClassNames)}); the union needs the same class folders.");
        }
        return first;
    }

    private static string Format(double accuracy) => accuracy.ToString("0.0000", CultureInfo.InvariantCulture);
}
