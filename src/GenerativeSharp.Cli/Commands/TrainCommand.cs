using System.CommandLine;
using System.Globalization;
using GenerativeSharp.Data;
using GenerativeSharp.Recipes;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Cli.Commands;

/// <summary><c>gensharp train MODEL --data DATA ...</c>: trains, or with --resume continues, a run in DIR.</summary>
internal static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Argument<string>("MODEL") { Description = "a model from 'gensharp models'" };
        var data = CommonOptions.Data(required: true);
        var epochs = new Option<int?>("--epochs") { Description = "passes over the training data (default: the recipe's)" };
        var steps = new Option<long?>("--steps") { Description = "training steps instead of epochs" };
        var batchSize = new Option<int?>("--batch-size") { Description = "examples per step (default: the recipe's)" };
        var learningRate = new Option<double?>("--lr") { Description = "Adam learning rate (default: the recipe's)" };
        var seed = new Option<long?>("--seed") { Description = "random seed (default 0; same seed, same result on CPU); a resumed run keeps its own" };
        var device = CommonOptions.Device();
        var output = new Option<string?>("--out") { Description = "run directory (default runs/MODEL-DATA)" };
        var resume = new Option<bool>("--resume") { Description = "continue the run in --out exactly where its checkpoint stopped" };
        var progress = new Option<string>("--progress") { Description = "auto, plain or none", DefaultValueFactory = _ => "auto" };
        var binarize = new Option<string?>("--binarize") { Description = "none, dynamic or static (default: dynamic for images with a Bernoulli model)" };
        var settings = new Option<string[]>("--set") { Description = "model option KEY=VALUE (repeatable; see 'gensharp models')" };
        var dataRoot = CommonOptions.DataRoot();
        var command = new Command("train", "Train a model and write its checkpoint, metrics.jsonl and samples.png.")
        {
            model, data, epochs, steps, batchSize, learningRate, seed, device, output, resume, progress, binarize, settings, dataRoot,
        };
        command.SetAction(parsed =>
        {
            var request = new TrainRequest(
                parsed.GetValue(model)!, parsed.GetValue(data)!, parsed.GetValue(epochs), parsed.GetValue(steps),
                parsed.GetValue(batchSize), parsed.GetValue(learningRate), parsed.GetValue(seed), parsed.GetValue(device)!,
                parsed.GetValue(output), parsed.GetValue(resume), ParseProgress(parsed.GetValue(progress)!),
                parsed.GetValue(binarize), ParseSettings(parsed.GetValue(settings) ?? []), parsed.GetValue(dataRoot));
            TrainingResult result = TrainRun.Execute(request, context);
            return result.Outcome == TrainingOutcome.Interrupted ? ExitCodes.Interrupted : ExitCodes.Success;
        });
        return command;
    }

    public static ProgressMode ParseProgress(string text) => text.ToLowerInvariant() switch
    {
        "auto" => ProgressMode.Auto,
        "plain" => ProgressMode.Plain,
        "none" => ProgressMode.None,
        _ => throw new InvalidInputException($"--progress {text}: expected auto, plain or none."),
    };

    public static IReadOnlyDictionary<string, string> ParseSettings(string[] pairs)
    {
        var settings = new Dictionary<string, string>();
        foreach (string pair in pairs)
        {
            int equals = pair.IndexOf('=');
            if (equals <= 0 || equals == pair.Length - 1)
                throw new InvalidInputException($"--set {pair}: expected KEY=VALUE, e.g. --set latent=32.");
            settings[pair[..equals].Trim().ToLowerInvariant()] = pair[(equals + 1)..].Trim();
        }
        return settings;
    }
}

/// <summary>Everything <c>train</c> was asked for.</summary>
internal sealed record TrainRequest(
    string Model, string Data, int? Epochs, long? Steps, int? BatchSize, double? LearningRate, long? Seed, string Device,
    string? Output, bool Resume, ProgressMode Progress, string? Binarize, IReadOnlyDictionary<string, string> Settings, string? DataRoot)
{
    /// <summary>runs/MODEL-DATA with the data's last path part, e.g. runs/vae-mnist-10k or runs/vae-toy-moons.</summary>
    public string OutputDirectory => Output ?? Path.Combine("runs", $"{Model.ToLowerInvariant()}-{DataLabel(Data)}");

    private static string DataLabel(string data)
    {
        string trimmed = data.TrimEnd('/', '\\');
        string last = Path.GetFileName(trimmed);
        return (string.IsNullOrEmpty(last) ? "data" : last).Replace(':', '-');
    }
}
