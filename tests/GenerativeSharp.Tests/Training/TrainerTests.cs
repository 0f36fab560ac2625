using System.Text.Json;
using GenerativeSharp.Data;
using GenerativeSharp.Recipes;
using GenerativeSharp.Runtime;
using GenerativeSharp.Training;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Training;

public sealed class TrainerTests
{
    [Fact]
    public void Stopping_and_resuming_gives_bit_identical_weights()
    {
        using var straight = new TempDirectory();
        using var split = new TempDirectory();
        using DataSplits data = TestModels.ImageSplits();

        Train(data, straight.Path, totalSteps: 20, resume: false);
        Train(data, split.Path, totalSteps: 13, resume: false);    // stops mid-epoch (8 steps per epoch)
        Train(data, split.Path, totalSteps: 20, resume: true);

        using LoadedCheckpoint a = Checkpoint.Load(straight.Path, CPU);
        using LoadedCheckpoint b = Checkpoint.Load(split.Path, CPU);
        using var modelA = a.Model;
        using var modelB = b.Model;
        Assert.Equal(20, b.State.Step);
        foreach (var (name, weight) in modelA.Module.state_dict())
            Assert.True(weight.equal(modelB.Module.state_dict()[name]).all().item<bool>(), $"{name} differs after resume");
        foreach (string key in new[] { "_gensharp.optimizer.exp_avg", "_gensharp.optimizer.exp_avg_sq", "_gensharp.optimizer.step" })
            Assert.True(a.TrainerState[key].equal(b.TrainerState[key]).all().item<bool>(), key);

        string[] lines = File.ReadAllLines(Path.Combine(split.Path, Trainer.MetricsFileName));
        long[] steps = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt64()).ToArray();
        Assert.Equal(steps.OrderBy(s => s), steps);                 // no duplicated or out-of-order lines
        long[] straightSteps = File.ReadAllLines(Path.Combine(straight.Path, Trainer.MetricsFileName))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt64()).ToArray();
        Assert.Equal(straightSteps.Append(13).Distinct().OrderBy(s => s), steps);   // plus the end of the stopped run
    }

    [Fact]
    public void A_run_writes_metrics_samples_and_checkpoint_and_the_loss_falls()
    {
        using var directory = new TempDirectory();
        using DataSplits data = TestModels.ImageSplits();
        TrainingResult result = Train(data, directory.Path, totalSteps: 48, resume: false);

        Assert.Equal(TrainingOutcome.Completed, result.Outcome);
        Assert.True(File.Exists(Checkpoint.PathIn(directory.Path)));
        Assert.True(File.Exists(Path.Combine(directory.Path, Trainer.SamplesFileName)));
        var epochLines = File.ReadAllLines(Path.Combine(directory.Path, Trainer.MetricsFileName))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("nll_nats", out _))
            .ToList();
        Assert.Equal(6, epochLines.Count);
        Assert.All(epochLines, e => Assert.Equal("bound", e.GetProperty("nll_kind").GetString()));
        double first = epochLines[0].GetProperty("nll_nats").GetDouble();
        double last = epochLines[^1].GetProperty("nll_nats").GetDouble();
        Assert.True(last < first * 0.8, $"test NLL bound should fall: {first} -> {last}");
    }

    [Fact]
    public void A_cancelled_run_leaves_a_checkpoint_of_its_last_step()
    {
        using var directory = new TempDirectory();
        using DataSplits data = TestModels.ImageSplits();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        TrainingResult result = Train(data, directory.Path, totalSteps: 16, resume: false, cancel.Token);
        Assert.Equal(TrainingOutcome.Interrupted, result.Outcome);
        using LoadedCheckpoint checkpoint = Checkpoint.Load(directory.Path, CPU);
        checkpoint.Model.Dispose();
        Assert.Equal(0, checkpoint.State.Step);
    }

    /// <summary>Cancels its token after a given number of steps: an interruption at a known step.</summary>
    private sealed class CancellingStep(ITrainingStep inner, CancellationTokenSource cancel, int after) : ITrainingStep
    {
        private int steps;

        public IReadOnlyDictionary<string, double> Step(Batch batch, Generator generator)
        {
            var values = inner.Step(batch, generator);
            if (++steps == after) cancel.Cancel();
            return values;
        }

        public void SaveState(IDictionary<string, Tensor> state) => inner.SaveState(state);

        public void LoadState(IReadOnlyDictionary<string, Tensor> state) => inner.LoadState(state);
    }

    /// <summary>Fails to save its state from the given save on: a disk that fills up during the run.</summary>
    private sealed class FullDiskStep(ITrainingStep inner, int failFromSave) : ITrainingStep
    {
        private int saves;

        public IReadOnlyDictionary<string, double> Step(Batch batch, Generator generator) => inner.Step(batch, generator);

        public void SaveState(IDictionary<string, Tensor> state)
        {
            if (++saves >= failFromSave) throw new IOException("No space left on device");
            inner.SaveState(state);
        }

        public void LoadState(IReadOnlyDictionary<string, Tensor> state) => inner.LoadState(state);
    }

    [Fact]
    public void A_full_disk_names_the_file_keeps_the_last_checkpoint_and_cuts_the_metrics_back_to_it()
    {
        using var directory = new TempDirectory();
        using DataSplits data = TestModels.ImageSplits();
        var error = Assert.Throws<StorageException>(() => Train(data, directory.Path, totalSteps: 24, resume: false, wrap: s => new FullDiskStep(s, failFromSave: 2)));
        Assert.Equal($"could not write {Checkpoint.PathIn(directory.Path)} (No space left on device); the last checkpoint (step 8) is intact.", error.Message);
        using LoadedCheckpoint checkpoint = Checkpoint.Load(directory.Path, CPU);
        checkpoint.Model.Dispose();
        Assert.Equal(8, checkpoint.State.Step);
        long[] steps = File.ReadAllLines(Path.Combine(directory.Path, Trainer.MetricsFileName))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt64()).ToArray();
        Assert.NotEmpty(steps);
        Assert.True(steps.Max() <= 8, $"metrics ahead of the checkpoint: {string.Join(", ", steps)}");
    }

    [Fact]
    public void A_run_interrupted_between_log_lines_logs_the_same_means_after_resuming()
    {
        using var straight = new TempDirectory();
        using var split = new TempDirectory();
        using DataSplits data = TestModels.ImageSplits();
        Train(data, straight.Path, totalSteps: 16, resume: false);
        using var cancel = new CancellationTokenSource();
        Assert.Equal(TrainingOutcome.Interrupted, Train(data, split.Path, totalSteps: 16, resume: false, cancel.Token, s => new CancellingStep(s, cancel, after: 7)).Outcome);
        Train(data, split.Path, totalSteps: 16, resume: true);
        static Dictionary<long, double> Losses(string directory) => File.ReadAllLines(Path.Combine(directory, Trainer.MetricsFileName))
            .Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(e => e.GetProperty("step").GetInt64(), e => e.GetProperty("loss").GetDouble());
        Assert.Equal(Losses(straight.Path), Losses(split.Path));          // step 10's mean spans the interruption at step 7
    }

    internal static TrainingResult Train(DataSplits data, string directory, long totalSteps, bool resume, CancellationToken cancel = default,
        Func<ITrainingStep, ITrainingStep>? wrap = null)
    {
        IModelRecipe recipe = ModelCatalog.Get("vae");
        using var generator = new Generator(Seeds.Derive(5, 0));
        ModelInstance model;
        ITrainingStep step;
        TrainingState state;
        PendingMetrics pending = PendingMetrics.None;
        if (resume)
        {
            using LoadedCheckpoint checkpoint = Checkpoint.Load(directory, CPU);
            model = checkpoint.Model;
            step = recipe.CreateStep(model.Module, checkpoint.State.LearningRate);
            step.LoadState(checkpoint.TrainerState);
            Checkpoint.RestoreGenerator(checkpoint, generator);
            pending = Checkpoint.PendingMetricsOf(checkpoint);
            state = checkpoint.State with { TotalSteps = totalSteps };
        }
        else
        {
            string options = recipe.ConfigureOptions(data.Description, new Dictionary<string, string> { ["hidden"] = "32", ["latent"] = "4" });
            model = ModelInstance.Create(recipe, options, seed: 5, CPU);
            step = recipe.CreateStep(model.Module, 3e-3);
            state = new TrainingState(data.Spec, BinarizationMode.Dynamic, 5, 32, 3e-3, StepsPerEpoch: 8, totalSteps, Step: 0);
        }
        using (model)
        {
            var trainer = new Trainer(new TrainerOptions { OutputDirectory = directory, Progress = ProgressMode.None, LogEvery = 5, SampleCount = 4 });
            return trainer.Run(model, wrap is null ? step : wrap(step), data, state, generator, CPU, cancel, pending);
        }
    }
}
