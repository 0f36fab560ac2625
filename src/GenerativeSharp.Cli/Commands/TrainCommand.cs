using System.CommandLine;
using System.Globalization;
using GenerativeSharp.Data;
using GenerativeSharp.Recipes;
using GenerativeSharp.Runs;
using GenerativeSharp.Training;
using GenerativeSharp.Training.Logging;
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
        var tensorBoard = new Option<string>("--tensorboard")
        {
            Description = "on or off: also write TensorBoard event files in DIR/tensorboard", DefaultValueFactory = _ => "on",
        };
        var binarize = new Option<string?>("--binarize") { Description = "none, dynamic or static (default: dynamic for images with a Bernoulli model)" };
        var settings = new Option<string[]>("--set") { Description = "model option KEY=VALUE (repeatable; see 'gensharp models')" };
        var distributed = new Option<string>("--distributed")
        {
            Description = "none, or mpi: data-parallel over the processes of 'mpirun -np N gensharp train ...' (--batch-size is the global batch)",
            DefaultValueFactory = _ => "none",
        };
        var initFrom = new Option<string?>("--init-from")
        {
            Description = "start a new run from the weights of run DIR of the same model (tensors of matching name and shape)",
        };
        var dataRoot = CommonOptions.DataRoot();
        var target = CommonOptions.Target();
        var imageSize = CommonOptions.ImageSize();
        var command = new Command("train", "Train a model and write its checkpoint, metrics.jsonl, samples.png and TensorBoard events.")
        {
            model, data, target, imageSize, epochs, steps, batchSize, learningRate, seed, device, output, resume, progress, tensorBoard, binarize, settings, dataRoot, distributed, initFrom,
        };
        command.SetAction(parsed =>
        {
            string? binarizeText = parsed.GetValue(binarize);
            var request = new TrainingRequest
            {
                Model = parsed.GetValue(model)!, Data = parsed.GetValue(data)!, Target = parsed.GetValue(target), ImageSize = parsed.GetValue(imageSize),
                Epochs = parsed.GetValue(epochs), Steps = parsed.GetValue(steps), BatchSize = parsed.GetValue(batchSize),
                LearningRate = parsed.GetValue(learningRate), Seed = parsed.GetValue(seed), Device = parsed.GetValue(device)!,
                Output = parsed.GetValue(output), Resume = parsed.GetValue(resume), Progress = ParseProgress(parsed.GetValue(progress)!),
                Binarize = binarizeText is null ? null : Binarization.Parse(binarizeText), Settings = ParseSettings(parsed.GetValue(settings) ?? []),
                DataRoot = parsed.GetValue(dataRoot), TensorBoard = ParseSwitch("--tensorboard", parsed.GetValue(tensorBoard)!),
                Distributed = parsed.GetValue(distributed), InitFrom = parsed.GetValue(initFrom),
            };
            return Run(request, context);
        });
        return command;
    }

    /// <summary>Runs the request with SIGTERM deferred to a checkpoint (as Ctrl-C), and names the files it wrote.</summary>
    public static int Run(TrainingRequest request, CliContext context) => Execute(request, context).Outcome == TrainingOutcome.Interrupted
        ? ExitCodes.Interrupted
        : ExitCodes.Success;

    /// <summary>
    /// <see cref="TrainingRun.Execute"/> with the console's cancellation, and the files of a finished run named on Out (by rank 0
    /// alone in a data-parallel run: the other ranks print nothing).
    /// </summary>
    public static TrainingResult Execute(TrainingRequest request, CliContext context)
    {
        using IDisposable saveOnTerminate = ConsoleCancellation.DeferTermination();     // SIGTERM saves a checkpoint, as Ctrl-C does
        TrainingResult result = TrainingRun.Execute(request, context.Error, context.Cancel);
        string directory = request.OutputDirectory;
        if (result.Outcome == TrainingOutcome.Completed && !IsQuietRank(request))
            context.Out.WriteLine($"wrote {Checkpoint.PathIn(directory)}, {Path.Combine(directory, Trainer.MetricsFileName)}, " +
                $"{Path.Combine(directory, Trainer.SamplesFileName)}" +
                (request.TensorBoard ? $", {Path.Combine(directory, TensorBoardLog.FolderName)}{Path.DirectorySeparatorChar}" : ""));
        return result;
    }

    /// <summary>A rank other than 0 of an mpirun job (OMPI_COMM_WORLD_RANK, set by Open MPI's launcher for every rank).</summary>
    private static bool IsQuietRank(TrainingRequest request) =>
        string.Equals(request.Distributed, "mpi", StringComparison.OrdinalIgnoreCase)
        && Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_RANK") is string rank && rank != "0";

    public static ProgressMode ParseProgress(string text) => text.ToLowerInvariant() switch
    {
        "auto" => ProgressMode.Auto,
        "plain" => ProgressMode.Plain,
        "none" => ProgressMode.None,
        _ => throw new InvalidInputException($"--progress {text}: expected auto, plain or none."),
    };

    /// <summary>An on/off flag's value.</summary>
    public static bool ParseSwitch(string option, string text) => text.ToLowerInvariant() switch
    {
        "on" => true,
        "off" => false,
        _ => throw new InvalidInputException($"{option} {text}: expected on or off."),
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
