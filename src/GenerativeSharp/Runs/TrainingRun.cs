using System.Globalization;
using GenerativeSharp.Data;
using GenerativeSharp.Distributed;
using GenerativeSharp.Models;
using GenerativeSharp.Recipes;
using GenerativeSharp.Runtime;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Runs;

/// <summary>
/// Starting and resuming a training run as one library call: checks the request, takes the run
/// directory's lock, loads the data, builds the model (or reads it back with its optimizer and
/// generator state), and runs the <see cref="Trainer"/>. The CLI's <c>train</c> only parses its
/// flags into a <see cref="TrainingRequest"/>. With <see cref="TrainingRequest.Distributed"/> "mpi" every rank mpirun started
/// runs this same call (<see cref="DataParallel"/>): rank 0 takes the lock and speaks, the others stay silent.
/// </summary>
public static class TrainingRun
{
    /// <summary>Runs <paramref name="request"/>; <paramref name="messages"/> gets the one-line start, resume and interrupt notes.</summary>
    /// <exception cref="InvalidInputException">A flag is out of range, contradicts the run being resumed, or the data cannot be taken.</exception>
    public static TrainingResult Execute(TrainingRequest request, TextWriter messages, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(request);
        IModelRecipe recipe = ModelCatalog.Get(request.Model);
        CheckRanges(request);
        DataParallel? parallel = StartDistributed(request.Distributed);
        if (parallel is null) return ExecuteOnThisRank(request, recipe, messages, cancel, null);
        // On failure the rank exits without MPI_Finalize (which would wait for ranks blocked in a collective): mpirun then
        // ends the whole job. Only a run that completes or is interrupted together finalizes.
        TrainingResult result = ExecuteOnThisRank(request, recipe, parallel.Writes ? messages : TextWriter.Null, cancel, parallel);
        parallel.Finish();
        return result;
    }

    /// <summary>The start of the line, printed by rank 0 of a data-parallel run, with the test examples each rank evaluated.</summary>
    public const string EvaluatedPerRankPrefix = "test examples evaluated per rank: ";

    private static DataParallel? StartDistributed(string? mode) => mode?.ToLowerInvariant() switch
    {
        null or "none" => null,
        "mpi" => DataParallel.Start(MpiCommunicator.Open()),
        _ => throw new InvalidInputException($"--distributed {mode}: expected none or mpi."),
    };

    private static TrainingResult ExecuteOnThisRank(TrainingRequest request, IModelRecipe recipe, TextWriter messages, CancellationToken cancel, DataParallel? parallel)
    {
        torch.Device device = TorchRuntime.ResolveDevice(request.Device);
        string directory = request.OutputDirectory;
        using RunDirectoryLock? writer = parallel is { Writes: false } ? null : RunDirectoryLock.Acquire(directory);           // one writer per run, before anything is read or written
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
        if (checkpoint is not null) ResumeConflicts.Refuse(request, checkpoint, recipe, directory);
        TrainingState requested = NewState(request);
        using DataSplits data = LoadData(checkpoint?.State ?? requested, request.DataRoot, messages);
        TrainingDefaults defaults = recipe.Defaults(data.Description);
        var generator = new torch.Generator(Seeds.Derive((checkpoint?.State ?? requested).Seed, 0), device);
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
            DataParallelCheckpoint.Restore(checkpoint, parallel, generator, messages);
            pending = Checkpoint.PendingMetricsOf(checkpoint);
            long total = request.Steps ?? (request.Epochs is int epochs ? epochs * checkpoint.State.StepsPerEpoch : checkpoint.State.TotalSteps);
            if (total < checkpoint.State.Step)
                throw new InvalidInputException($"{directory} is already at step {checkpoint.State.Step}; ask for more steps than that to continue it.");
            state = checkpoint.State with { TotalSteps = total };
            messages.WriteLine($"resuming {directory} at step {state.Step} of {state.TotalSteps}");
        }
        else
        {
            string options = recipe is IDataAwareRecipe aware ? aware.ConfigureOptions(data, request.Settings) : recipe.ConfigureOptions(data.Description, request.Settings);
            ModelMemory.Check(recipe, options, multiple: 4, "training");
            if (request.Binarize is BinarizationMode asked && asked != BinarizationMode.None
                && !(data.Description.IsGrey && data.Description.Values == ValueKind.EightBit))
                throw new InvalidInputException($"--binarize {asked.ToString().ToLowerInvariant()}: binarization is for grey-scale 8-bit images; " +
                    $"{request.Data} is {data.Description.Summary}.");
            model = ModelInstance.Create(recipe, options, requested.Seed, device);
            try { RunInitialisation.Apply(request.InitFrom, model, device, messages); }
            catch { model.Dispose(); throw; }
            int batchSize = request.BatchSize ?? defaults.BatchSize;
            long stepsPerEpoch = (data.Train.Count + batchSize - 1) / batchSize;
            long total = request.Steps ?? (request.Epochs ?? defaults.Epochs) * stepsPerEpoch;
            double learningRate = request.LearningRate ?? defaults.LearningRate;
            BinarizationMode mode = request.Binarize ?? recipe.DefaultBinarization(options, data.Description);
            state = requested with { Binarize = mode, BatchSize = batchSize, LearningRate = learningRate, StepsPerEpoch = stepsPerEpoch, TotalSteps = total };
            step = recipe.CreateStep(model.Module, learningRate);
        }
        using (model)
        using (generator)
        using (step as IDisposable)
        {
            if (parallel != null) PrepareRanks(parallel, state, data.Train.Count);
            messages.WriteLine($"training {recipe.Info.Name} on {data.Source} ({data.Train.Count} examples, {data.Description.Summary}, " +
                $"{state.TotalSteps} steps of {state.BatchSize}, {TorchRuntime.Describe(device)}" +
                (parallel is null ? "" : $", data-parallel over {parallel.Size} MPI ranks") + $") -> {directory}");
            if (data.Description.HasPairedTarget && model.Module is not IConditionalSampler { Context: ContextKind.PairedImage })
                messages.WriteLine($"{recipe.Info.Name} does not translate images: it trains on the --data images alone and ignores " +
                    "their paired targets (the run keeps the pairing for evaluation).");
            if (data.Description.HasPairedTarget && model.Module is IUnpairedTranslator)
                messages.WriteLine(data.Description.TargetsPaired
                    ? $"{recipe.Info.Name} trains unpaired: domain A is --data, domain B is --target, and each step draws its " +
                      "B images with a permutation of their own (the pairing by relative path serves only evaluation)."
                    : $"{recipe.Info.Name} trains on unpaired domains: A is --data ({data.Train.Count} images), B is --target " +
                      $"({data.Train.Targets!.shape[0]} images), each step's B images drawn with a permutation of their own; eval reports FID and the cycle, no per-pixel scores.");
            var trainer = new Trainer(new TrainerOptions { OutputDirectory = directory, Progress = request.Progress, TensorBoard = request.TensorBoard });
            TrainingResult result = trainer.Run(model, step, data, state, generator, device, cancel, pending);
            if (result.Outcome == TrainingOutcome.Interrupted)
                messages.WriteLine($"interrupted at step {result.State.Step}; checkpoint saved in {directory} (continue with --resume)");
            if (parallel is { AllReduceCalls: > 0 })
                messages.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"rank 0: {parallel.AllReduceCalls} gradient all-reduces, {1000 * parallel.AllReduceSeconds / parallel.AllReduceCalls:F2} ms each on average"));
            if (result.LastEvaluation?.ExamplesPerRank is { } perRank)
                messages.WriteLine($"{EvaluatedPerRankPrefix}{string.Join(", ", perRank)} (the last epoch-end evaluation's {result.LastEvaluation.Examples} test examples)");
            return result;
        }
    }

    /// <summary>
    /// The data a run was trained on, as its state names it (spec, paired target, image size, and
    /// the seed of generated toy points); <paramref name="otherData"/> replaces the spec (e.g. eval on another set).
    /// </summary>
    public static DataSplits LoadData(TrainingState state, string? dataRoot, TextWriter? progress, string? otherData = null) =>
        DataCatalog.Load(otherData ?? state.Data, new DataOptions
        {
            DataRoot = dataRoot, Seed = state.Seed, Progress = progress,
            Target = otherData is null ? state.Target : null, ImageSize = state.ImageSize,
        });

    /// <summary>
    /// Checks that every rank gets at least one example of every batch (the last one of an epoch included), and seeds the
    /// rank's process-wide RNG (unseeded draws such as dropout) from (seed, rank).
    /// </summary>
    private static void PrepareRanks(DataParallel parallel, TrainingState state, long examples)
    {
        long last = examples % state.BatchSize;
        if (state.BatchSize < parallel.Size || (last > 0 && last < parallel.Size))
            throw new InvalidInputException($"--batch-size {state.BatchSize} over {parallel.Size} ranks: every rank needs at least one example of each " +
                $"batch (the last batch of an epoch holds {(last > 0 ? last : state.BatchSize)}); choose a batch size, or a number of ranks, that gives each one.");
        lock (GlobalRandom.Lock) torch.random.manual_seed(unchecked((long)Seeds.Derive(state.Seed, parallel.Rank, 5)));
    }

    /// <summary>The state a new run of <paramref name="request"/> starts from, before the recipe's defaults fill it in.</summary>
    private static TrainingState NewState(TrainingRequest request) =>
        new(request.Data, request.Binarize ?? BinarizationMode.None, request.Seed ?? 0, request.BatchSize ?? 1,
            request.LearningRate ?? 1, StepsPerEpoch: 1, TotalSteps: 1, Step: 0, request.Target, request.ImageSize);

    private static void CheckRanges(TrainingRequest request)
    {
        if (request.Epochs is not null && request.Steps is not null)
            throw new InvalidInputException("give --epochs or --steps, not both.");
        if (request.Epochs is int e && e < 1) throw new InvalidInputException($"--epochs {e}: expected an integer >= 1.");
        if (request.Steps is long s && s < 1) throw new InvalidInputException($"--steps {s}: expected an integer >= 1.");
        if (request.BatchSize is int b && b < 1) throw new InvalidInputException($"--batch-size {b}: expected an integer >= 1.");
        if (request.ImageSize is int size && size < 1) throw new InvalidInputException($"--image-size {size}: expected an integer >= 1.");
        if (request.LearningRate is double lr && !(lr > 0 && double.IsFinite(lr)))
            throw new InvalidInputException($"--lr {lr.ToString(CultureInfo.InvariantCulture)}: expected a positive number.");
    }
}
