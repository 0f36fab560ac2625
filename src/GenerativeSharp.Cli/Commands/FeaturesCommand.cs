using System.CommandLine;
using System.Globalization;
using GenerativeSharp.Data;
using GenerativeSharp.Evaluation;
using GenerativeSharp.Runtime;
using TorchSharp;

namespace GenerativeSharp.Cli.Commands;

/// <summary>
/// <c>gensharp features --data DATA --out FILE</c>: trains the feature network of the sample-quality
/// metrics (<see cref="FeatureClassifier"/>) and writes its weights as safetensors, with the command,
/// seed and test accuracy in the metadata. The versioned weights in Evaluation/Weights were made this way.
/// </summary>
internal static class FeaturesCommand
{
    public static Command Create(CliContext context)
    {
        var data = CommonOptions.Data(required: true);
        var epochs = new Option<int>("--epochs") { Description = "training epochs", DefaultValueFactory = _ => 3 };
        var output = new Option<string>("--out") { Description = "safetensors file to write", Required = true };
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var dataRoot = CommonOptions.DataRoot();
        var command = new Command("features", "Train the CNN classifier whose penultimate features feed FID, KID and precision/recall.")
        {
            data, epochs, output, seed, device, dataRoot,
        };
        command.SetAction(parsed =>
        {
            string spec = parsed.GetValue(data)!;
            int n = CommonOptions.Positive("--epochs", parsed.GetValue(epochs));
            long s = parsed.GetValue(seed);
            string path = parsed.GetValue(output)!;
            torch.Device target = TorchRuntime.ResolveDevice(parsed.GetValue(device)!);
            using DataSplits splits = CommonOptions.LoadData(spec, parsed.GetValue(dataRoot), s, context.Error);
            FeatureClassifierResult result = FeatureClassifierTraining.Train(splits, n, s, target, context.Error);
            using FeatureClassifier network = result.Network;
            string accuracy = result.TestAccuracy.ToString("0.0000", CultureInfo.InvariantCulture);
            network.Save(path, new Dictionary<string, string>
            {
                ["gensharp_feature_network"] = "FeatureClassifier",
                ["gensharp_command"] = $"gensharp features --data {spec} --epochs {n} --seed {s}",
                ["gensharp_test_accuracy"] = accuracy,
                ["gensharp_data"] = splits.Source,
            });
            context.Out.WriteLine($"wrote {path}: test accuracy {accuracy} after {n} epochs ({result.Seconds:F0} s)");
            return ExitCodes.Success;
        });
        return command;
    }
}
