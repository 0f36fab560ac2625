using System.Globalization;
using GenerativeSharp.Data;
using GenerativeSharp.Distributed;
using GenerativeSharp.Evaluation;
using GenerativeSharp.Models;
using GenerativeSharp.Recipes;
using GenerativeSharp.Runtime;
using GenerativeSharp.Training.Logging;
using static TorchSharp.torch;

namespace GenerativeSharp.Training;

/// <summary>
/// The training loop, knowing nothing of the model: seeded epoch order, one dispose scope per step,
/// progress, metrics.jsonl, and at each epoch end an evaluation, a sample picture and an atomic
/// checkpoint. Everything about the update itself is the <see cref="ITrainingStep"/>'s. The data
/// position follows from the step count and per-step seeds, and the model's RNG state is saved, so a
/// resumed run on CPU is bit-identical to an uninterrupted one. An <see cref="IUnpairedTranslator"/> (CycleGAN) gets
/// its targets through a second, independent permutation (<see cref="UnpairedTargetOrder"/>), never the inputs' pairs.
/// In a data-parallel run (<see cref="DataParallel.Current"/>) every rank draws the same global batch (and its binarization),
/// keeps its <see cref="BatchShard"/>, and the ranks agree on stopping after each step; at an epoch end every rank evaluates
/// its shard of the test subset and the sums are all-reduced; rank 0 alone writes files, progress and the sample grid, and
/// its checkpoint holds every rank's generator (<see cref="DataParallelCheckpoint"/>).
/// </summary>
public sealed class Trainer(TrainerOptions options)
{
    public const string MetricsFileName = "metrics.jsonl";
    public const string SamplesFileName = "samples.png";

    /// <summary>The metrics.jsonl field of an epoch's last line that holds the wall-clock seconds its training steps took.</summary>
    public const string EpochSecondsField = "epoch_seconds";

    /// <summary>The evaluation generator's seed: every epoch and every model sees the same noise.</summary>
    public const long EvaluationSeed = 0;

    private double lastSampleSeconds;
    private long samplesStep = -1;                                               // the step whose grid samples.png holds

    /// <summary>
    /// The order in which an <see cref="IUnpairedTranslator"/> sees the training targets in <paramref name="epoch"/>: a
    /// permutation of [0, count) from its own seed, independent of the inputs' order (int64 [count]). The batch that
    /// starts at input position p takes the targets at positions p, p + 1, ... of it, modulo count (B may hold fewer
    /// images than A).
    /// </summary>
    public static Tensor UnpairedTargetOrder(long seed, int epoch, long count)
    {
        using var generator = new Generator(Seeds.Derive(seed, epoch, 3));
        return randperm(count, generator: generator);
    }

    /// <param name="pending">metric sums carried over from an interrupted run (see <see cref="Checkpoint.PendingMetricsOf"/>)</param>
    public TrainingResult Run(ModelInstance model, ITrainingStep step, DataSplits data, TrainingState state,
        Generator generator, Device device, CancellationToken cancel, PendingMetrics? pending = null)
    {
        CheckLabelRange(model, data.Train);
        DataParallel? parallel = DataParallel.Current;
        parallel?.CheckSameModel(model.Module);
        bool writes = parallel?.Writes ?? true;
        string directory = options.OutputDirectory;
        string metricsPath = Path.Combine(directory, MetricsFileName);
        if (writes) Directory.CreateDirectory(directory);
        using MetricsLog? metrics = !writes ? null
            : state.Step == 0 ? MetricsLog.Create(metricsPath) : MetricsLog.ContinueAfter(metricsPath, state.Step);
        using TensorBoardLog? board = options.TensorBoard && writes ? TensorBoardLog.ContinueAfter(directory, state.Step) : null;
        var progress = ProgressReporter.ForConsole(writes ? options.Progress : ProgressMode.None);
        using var staticTrain = state.Binarize == BinarizationMode.Static ? Binarization.Static(data.Train.Examples) : null;
        Tensor source = staticTrain ?? data.Train.Examples;
        using Tensor evalSet = PrepareTestSubset(data, state.Binarize);
        long count = source.shape[0];
        Tensor? order = null, targetOrder = null;
        bool unpaired = model.Module is IUnpairedTranslator && data.Train.Targets is not null;
        Tensor? trainTargets = unpaired || data.Train.TargetsPaired ? data.Train.Targets : null;    // unpaired domains go only to unpaired translators
        long targetCount = trainTargets?.shape[0] ?? 0;
        int orderEpoch = -1;
        var sums = new Dictionary<string, double>(pending?.Sums ?? PendingMetrics.None.Sums);
        int summed = pending?.Count ?? 0;
        EvaluationReport? lastEvaluation = null;
        var epochClock = System.Diagnostics.Stopwatch.StartNew();
        long? savedStep = state.Step > 0 ? state.Step : null;                    // the step of the checkpoint on disk
        // A file that cannot be written (a full disk) stops the run with a one-line reason; metrics.jsonl is cut back
        // to the checkpoint on disk, so it is never ahead of it.
        void Persist(string file, Action write)
        {
            try
            {
                write();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (metrics != null) MetricsLog.TryCutBack(metrics, savedStep ?? 0);
                if (board != null) TensorBoardLog.TryCutBack(board, savedStep ?? 0);
                throw new StorageException($"could not write {file} ({e.Message.ReplaceLineEndings(" ")}); " +
                    (savedStep is long saved ? $"the last checkpoint (step {saved}) is intact." : "no checkpoint was written yet."), e);
            }
        }
        model.Module.train();
        try
        {
            while (!state.Finished)
            {
                bool stop = cancel.IsCancellationRequested;
                if (parallel != null) stop = parallel.AnyRank(stop);                        // every rank stops after the same step
                if (stop)
                {
                    parallel?.CheckSameModel(model.Module, $"at step {state.Step}");
                    var ranks = DataParallelCheckpoint.Gather(parallel, generator);
                    if (writes)
                        Persist(Checkpoint.PathIn(directory), () => Checkpoint.Save(directory, model, state, step, generator,
                            new PendingMetrics(new Dictionary<string, double>(sums), summed), ranks));
                    progress.Finish();
                    return new TrainingResult(TrainingOutcome.Interrupted, state, lastEvaluation);
                }
                int epoch = state.Epoch;
                if (epoch != orderEpoch)
                {
                    order?.Dispose();
                    targetOrder?.Dispose();
                    using var orderGenerator = new Generator(Seeds.Derive(state.Seed, epoch, 1));
                    order = randperm(count, generator: orderGenerator);
                    targetOrder = unpaired ? UnpairedTargetOrder(state.Seed, epoch, targetCount) : null;
                    orderEpoch = epoch;
                }
                IReadOnlyDictionary<string, double> values;
                using (NewDisposeScope())
                {
                    long start = state.Step % state.StepsPerEpoch * state.BatchSize;
                    Tensor indices = order!.narrow(0, start, Math.Min(state.BatchSize, count - start));
                    Tensor batch = source.index_select(0, indices);
                    Tensor? batchLabels = data.Train.Labels?.index_select(0, indices).to(device);
                    // An unpaired translator's targets come through their own permutation: never the inputs' pairs.
                    Tensor? targetIndices = targetOrder is null ? indices
                        : targetOrder.index_select(0, (arange(start, start + indices.shape[0], dtype: ScalarType.Int64) % targetCount));
                    Tensor? batchTargets = trainTargets?.index_select(0, targetIndices).to(device);
                    if (state.Binarize == BinarizationMode.Dynamic)
                    {
                        using var binarizeGenerator = new Generator(Seeds.Derive(state.Seed, state.Step, 2));
                        batch = Binarization.Sample(batch, binarizeGenerator);
                    }
                    BatchShard? shard = parallel is null ? null : BatchShard.Of(indices.shape[0], parallel.Rank, parallel.Size);
                    if (shard != null)                                                     // this rank's disjoint part of the global batch
                    {
                        batch = batch.narrow(0, shard.Offset, shard.Count);
                        batchLabels = batchLabels?.narrow(0, shard.Offset, shard.Count);
                        batchTargets = batchTargets?.narrow(0, shard.Offset, shard.Count);
                    }
                    using (shard is null ? null : parallel!.EnterStep(shard))
                        values = step.Step(new Batch(batch.to(device), batchLabels, batchTargets), generator);
                }
                state = state with { Step = state.Step + 1 };
                foreach (var (name, value) in values)
                    sums[name] = sums.GetValueOrDefault(name) + value;
                summed++;
                progress.Report("train", state.Step, state.TotalSteps,
                    string.Create(CultureInfo.InvariantCulture, $"epoch {epoch} loss {values["loss"]:F3}"));

                bool epochEnd = state.Step % state.StepsPerEpoch == 0 || state.Finished;
                if (state.Step % options.LogEvery != 0 && !epochEnd) continue;
                var averages = (parallel?.MeanOverRanks(sums) ?? sums).ToDictionary(p => p.Key, p => p.Value / summed);
                sums.Clear();
                summed = 0;
                if (!epochEnd)
                {
                    if (metrics != null) Persist(metricsPath, () => metrics.Write(state.Step, epoch, averages));
                    if (board != null) Persist(board.Path, () => board.WriteScalars(state.Step, epoch, averages));
                    continue;
                }
                averages[EpochSecondsField] = epochClock.Elapsed.TotalSeconds;                    // training steps only, not the evaluation
                double epochSeconds = epochClock.Elapsed.TotalSeconds;
                TrainingState ended = state;
                parallel?.CheckSameModel(model.Module, $"at step {state.Step}");
                var rankStates = DataParallelCheckpoint.Gather(parallel, generator);
                lastEvaluation = Evaluate(model, data, evalSet, device, parallel);     // every rank its shard, reduced
                if (!writes)
                {
                    parallel!.WaitForWriter();                                  // rank 0 draws and saves
                    epochClock.Restart();
                    continue;
                }
                Persist(Path.Combine(directory, SamplesFileName), () => DrawSamples(model, data, ended, epochSeconds));
                epochClock.Restart();
                var labels = new Dictionary<string, string>();
                if (lastEvaluation != null)
                {
                    foreach (var (name, value) in lastEvaluation.NumericFields()) averages[name] = value;
                    if (lastEvaluation.NllKind != null) labels["nll_kind"] = lastEvaluation.NllKind;
                }
                Persist(metricsPath, () => metrics!.Write(ended.Step, epoch, averages, labels));
                if (board != null) Persist(board.Path, () => board.WriteEpoch(ended.Step, epoch, averages, samplesStep == ended.Step ? Path.Combine(directory, SamplesFileName) : null));
                Persist(Checkpoint.PathIn(directory), () => Checkpoint.Save(directory, model, ended, step, generator, extra: rankStates));
                savedStep = state.Step;
                progress.Line(EpochSummary(epoch, averages, lastEvaluation));
                parallel?.WaitForWriter();
            }
        }
        finally
        {
            order?.Dispose();
            targetOrder?.Dispose();
            progress.Finish();
        }
        return new TrainingResult(TrainingOutcome.Completed, state, lastEvaluation);
    }

    /// <summary>
    /// The test likelihood of a model that has one (null otherwise). In a data-parallel run every rank evaluates its shard of
    /// the test subset and the sums are reduced, so every rank gets the numbers one process would (<see cref="LikelihoodEvaluator"/>).
    /// </summary>
    private static EvaluationReport? Evaluate(ModelInstance model, DataSplits data, Tensor evalSet, Device device, DataParallel? parallel)
    {
        if (evalSet.shape[0] == 0 || model.Model is not (ILowerBoundModel or IDensityModel)) return null;
        EvaluationReport report = LikelihoodEvaluator.Evaluate(model.Model, evalSet, model.Recipe.Info.Name, data.Spec, "test",
            samples: 1, seed: EvaluationSeed, device, data.Toy, parallel: parallel);
        model.Module.train();
        return report;
    }

    /// <summary>
    /// Draws the sample grid (from its own seed, so training never depends on it). A model whose grid costs more than a
    /// quarter of an epoch (a PixelCNN drawing pixel by pixel on a CPU) draws it only after the last epoch.
    /// </summary>
    private void DrawSamples(ModelInstance model, DataSplits data, TrainingState state, double epochSeconds)
    {
        if (state.Finished || !(lastSampleSeconds > 0.25 * epochSeconds))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            SamplePictures.Write(Path.Combine(options.OutputDirectory, SamplesFileName), model.Model,
                options.SampleCount * (data.Description.IsVector ? 32 : 1), options.SampleSeed, data.Train);
            lastSampleSeconds = clock.Elapsed.TotalSeconds;
            samplesStep = state.Step;
        }
        model.Module.train();
    }

    /// <summary>
    /// A class-conditional model's training labels must lie in [0, Classes): checked once here, on the CPU,
    /// so that steps on a GPU need no per-batch range check (a device-to-host read each step).
    /// </summary>
    private static void CheckLabelRange(ModelInstance model, TensorDataset train)
    {
        if (model.Model is not IConditionalSampler { Context: ContextKind.ClassLabel } conditional || train.Labels is not Tensor labels || labels.numel() == 0) return;
        long min = labels.min().item<long>(), max = labels.max().item<long>();
        if (min < 0 || max >= conditional.Classes)
            throw new InvalidInputException(
                $"the model is conditioned on {conditional.Classes} classes, but the training labels run from {min} to {max}; set classes to at least {max + 1}.");
    }

    private Tensor PrepareTestSubset(DataSplits data, BinarizationMode mode)
    {
        long limit = Math.Min(options.EvalLimit, data.Test.Count);
        using Tensor subset = data.Test.Examples.narrow(0, 0, limit);
        return mode == BinarizationMode.None ? subset.clone() : Binarization.Static(subset);
    }

    private static string EpochSummary(int epoch, IReadOnlyDictionary<string, double> averages, EvaluationReport? evaluation)
    {
        string text = string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}: train loss {averages["loss"]:F3}");
        if (evaluation?.NllNats is double nll)
            text += string.Create(CultureInfo.InvariantCulture, $", test NLL {nll:F3} nats ({evaluation.NllKind})");
        if (evaluation?.KlGapNats is double gap)
            text += string.Create(CultureInfo.InvariantCulture, $", KL gap {gap:F3}");
        return text;
    }
}

/// <summary>How a run ended.</summary>
public enum TrainingOutcome
{
    Completed,
    Interrupted,
}

/// <summary>The end of a run: how it ended, where it stood, the last evaluation.</summary>
public sealed record TrainingResult(TrainingOutcome Outcome, TrainingState State, EvaluationReport? LastEvaluation);
