using System.Globalization;
using GenerativeSharp.Data;
using GenerativeSharp.Recipes;
using GenerativeSharp.Runtime;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Cli.Commands;

/// <summary>Checks a train request, sets up a new or resumed run, and runs the trainer.</summary>
internal static class TrainRun
{
    public static TrainingResult Execute(TrainRequest request, CliContext context)
    {
        IModelRecipe recipe = ModelCatalog.Get(request.Model);
        if (request.Epochs is not null && request.Steps is not null)
            throw new InvalidInputException("give --epochs or --steps, not both.");
        if (request.Epochs is int e) CommonOptions.Positive("--epochs", e);
        if (request.Steps is long s && s < 1) throw new InvalidInputException($"--steps {s}: expected an integer >= 1.");
        if (request.BatchSize is int b) CommonOptions.Positive("--batch-size", b);
        if (request.LearningRate is double lr && !(lr > 0 && double.IsFinite(lr)))
            throw new InvalidInputException($"--lr {lr.ToString(CultureInfo.InvariantCulture)}: expected a positive number.");
        BinarizationMode? binarize = request.Binarize is null ? null : Binarization.Parse(request.Binarize);
        torch.Device device = TorchRuntime.ResolveDevice(request.Device);
        string directory = request.OutputDirectory;
        using RunDirectoryLock writer = RunDirectoryLock.Acquire(directory);           // one writer per run, before anything is read or written
        using IDisposable saveOnTerminate = ConsoleCancellation.DeferTermination();     // SIGTERM saves a checkpoint, as Ctrl-C does
        if (Directory.Exists(Checkpoint.PathIn(directory)))
            throw new InvalidInputException($"{Checkpoint.PathIn(directory)} is a directory; a run needs that name for its checkpoint file.");
        bool hasCheckpoint = Checkpoint.ExistsIn(directory);
        if (request.Resume && !hasCheckpoint)
            throw new InvalidInputException($"--resume: {directory} holds no checkpoint to continue; drop --resume to start a new run.");
        if (!request.Resume && hasCheckpoint)
            throw new InvalidInputException($"{directory} already holds a run; continue it with --resume, or choose another --out.");

        // A resumed run continues the same run: its checkpoint, read first, fixes seed, data, binarization and rate.
        LoadedCheckpoint? checkpoint = request.Resume ? Checkpoint.Load(directory, device) : null;
        using var checkpointScope = checkpoint;
        if (checkpoint is not null) CheckResumable(request, checkpoint, recipe, directory, binarize);
        long seed = checkpoint?.State.Seed ?? request.Seed ?? 0;
        using DataSplits data = CommonOptions.LoadData(request.Data, request.DataRoot, seed, context.Error);
        TrainingDefaults defaults = recipe.Defaults(data.Description);
        var generator = new torch.Generator(Seeds.Derive(seed, 0), device);
        ModelInstance model;
        ITrainingStep step;
        TrainingState state;
        PendingMetrics pending = PendingMetrics.None;
        if (checkpoint is not null)
        {
            model = checkpoint.Model;
            long stepsPerEpoch = (data.Train.Count + checkpoint.State.BatchSize - 1) / checkpoint.State.BatchSize;
            if (stepsPerEpoch != checkpoint.State.StepsPerEpoch)
                throw new InvalidInputException($"{directory} was trained with {checkpoint.State.StepsPerEpoch} steps per epoch, but {request.Data} " +
                    $"now gives {stepsPerEpoch} at batch {checkpoint.State.BatchSize}: the data changed or the checkpoint is damaged.");
            step = recipe.CreateStep(model.Module, checkpoint.State.LearningRate);
            step.LoadState(checkpoint.TrainerState);
            Checkpoint.RestoreGenerator(checkpoint, generator);
            pending = Checkpoint.PendingMetricsOf(checkpoint);
            long total = request.Steps ?? (request.Epochs is int epochs ? epochs * checkpoint.State.StepsPerEpoch : checkpoint.State.TotalSteps);
            if (total < checkpoint.State.Step)
                throw new InvalidInputException($"{directory} is already at step {checkpoint.State.Step}; ask for more steps than that to continue it.");
            state = checkpoint.State with { TotalSteps = total };
            context.Error.WriteLine($"resuming {directory} at step {state.Step} of {state.TotalSteps}");
        }
        else
        {
            string options = recipe.ConfigureOptions(data.Description, request.Settings);
            ModelMemory.Check(recipe, options, multiple: 4, "training");
            model = ModelInstance.Create(recipe, options, seed, device);
            int batchSize = request.BatchSize ?? defaults.BatchSize;
            long stepsPerEpoch = (data.Train.Count + batchSize - 1) / batchSize;
            long total = request.Steps ?? (request.Epochs ?? defaults.Epochs) * stepsPerEpoch;
            double learningRate = request.LearningRate ?? defaults.LearningRate;
            if (binarize is BinarizationMode asked && asked != BinarizationMode.None && !(data.Description.IsGrey && data.Description.Values == ValueKind.EightBit))
                throw new InvalidInputException($"--binarize {asked.ToString().ToLowerInvariant()}: binarization is for grey-scale 8-bit images; {request.Data} is {data.Description.Summary}.");
            BinarizationMode mode = binarize ?? recipe.DefaultBinarization(options, data.Description);
            state = new TrainingState(request.Data, mode, seed, batchSize, learningRate, stepsPerEpoch, total, Step: 0);
            step = recipe.CreateStep(model.Module, learningRate);
        }
        using (model)
        using (generator)
        using (step as IDisposable)
        {
            context.Error.WriteLine($"training {recipe.Info.Name} on {data.Source} ({data.Train.Count} examples, " +
                $"{state.TotalSteps} steps of {state.BatchSize}, {TorchRuntime.Describe(device)}) -> {directory}");
            var trainer = new Trainer(new TrainerOptions { OutputDirectory = directory, Progress = request.Progress });
            TrainingResult result = trainer.Run(model, step, data, state, generator, device, context.Cancel, pending);
            if (result.Outcome == TrainingOutcome.Interrupted)
                context.Error.WriteLine($"interrupted at step {result.State.Step}; checkpoint saved in {directory} (continue with --resume)");
            if (result.Outcome == TrainingOutcome.Completed)
                context.Out.WriteLine($"wrote {Checkpoint.PathIn(directory)}, {Path.Combine(directory, Trainer.MetricsFileName)}, " +
                    $"{Path.Combine(directory, Trainer.SamplesFileName)}");
            return result;
        }
    }

    /// <summary>Refuses, in one line, any flag that contradicts the run being resumed.</summary>
    private static void CheckResumable(TrainRequest request, LoadedCheckpoint checkpoint, IModelRecipe recipe, string directory, BinarizationMode? binarize)
    {
        TrainingState saved = checkpoint.State;
        string? conflict = null;
        if (checkpoint.Model.Recipe.Info.Name != recipe.Info.Name)
            conflict = $"{directory} holds a {checkpoint.Model.Recipe.Info.Name} run, not {recipe.Info.Name}.";
        else if (saved.Data != request.Data)
            conflict = $"{directory} was trained on '{saved.Data}'; resume it with --data {saved.Data}.";
        else if (request.Settings.Count > 0)
            conflict = "--set cannot change a resumed run's model options; start a new run with another --out.";
        else if (request.BatchSize is int b && b != saved.BatchSize)
            conflict = $"--batch-size {b} differs from the run's {saved.BatchSize}; a resumed run keeps its batch size.";
        else if (request.Seed is long seed && seed != saved.Seed)
            conflict = $"--seed {seed} differs from the run's {saved.Seed}; a resumed run keeps its seed (drop --seed).";
        else if (request.LearningRate is double lr && lr != saved.LearningRate)
            conflict = $"--lr {lr.ToString(CultureInfo.InvariantCulture)} differs from the run's {saved.LearningRate.ToString(CultureInfo.InvariantCulture)}; " +
                "a resumed run keeps its learning rate (drop --lr).";
        else if (binarize is BinarizationMode mode && mode != saved.Binarize)
            conflict = $"--binarize {mode.ToString().ToLowerInvariant()} differs from the run's {saved.Binarize.ToString().ToLowerInvariant()}; " +
                "a resumed run keeps its binarization (drop --binarize).";
        if (conflict is not null)
        {
            checkpoint.Model.Dispose();
            throw new InvalidInputException(conflict);
        }
    }
}
