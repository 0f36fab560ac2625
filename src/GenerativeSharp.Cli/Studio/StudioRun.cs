using GenerativeSharp.Data;
using GenerativeSharp.Latent;
using GenerativeSharp.Models;
using GenerativeSharp.Recipes;
using GenerativeSharp.Runs;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Cli.Studio;

/// <summary>
/// One run directory the studio serves: its model, loaded on first use and kept, its genome book (as
/// <c>gensharp breed</c> keeps it in DIR/genomes.json), and the gate that lets one evaluation run at a time.
/// Every torch call for this run goes through <see cref="EvaluateAsync{T}"/>.
/// </summary>
internal sealed class StudioRun(string name, string directory, int queueLimit) : IDisposable
{
    private readonly EvaluationGate gate = new(queueLimit);
    private LoadedCheckpoint? checkpoint;
    private Breeding? book;
    private DataSplits? data;

    /// <summary>The run's table name.</summary>
    public string Name { get; } = name;

    /// <summary>The run directory (never taken from a request).</summary>
    public string Directory { get; } = directory;

    /// <summary>
    /// Runs <paramref name="work"/> on the loaded model when its turn comes, inside a dispose scope and without
    /// gradients; <paramref name="needsData"/> loads the run's data splits first (kept, outside the scope).
    /// </summary>
    /// <exception cref="StudioRequestException">503 when the queue is full.</exception>
    public Task<T> EvaluateAsync<T>(Func<StudioRun, LoadedCheckpoint, T> work, CancellationToken cancel, bool needsData = false) => gate.RunAsync(() =>
    {
        checkpoint ??= Checkpoint.Load(Directory, torch.CPU);
        checkpoint.Model.Module.eval();
        if (needsData) data ??= TrainingRun.LoadData(checkpoint.State, null, TextWriter.Null);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return work(this, checkpoint);
    }, cancel);

    /// <summary>The genome book of the run (call inside <see cref="EvaluateAsync{T}"/>).</summary>
    public Breeding Book => book ??= Breeding.Open(Directory);

    /// <summary>The run's data splits (inside <see cref="EvaluateAsync{T}"/> with needsData).</summary>
    public DataSplits Data => data ?? throw new InvalidOperationException("the data splits are loaded only for work that asks for them");

    /// <summary>What the page may do with this run.</summary>
    public static RunDescription Describe(StudioRun run, LoadedCheckpoint loaded)
    {
        ModelInstance model = loaded.Model;
        long[] shape = model.Model.EventShape;
        bool images = shape.Length == 3;
        bool translates = model.Module is IConditionalSampler { Context: ContextKind.PairedImage };
        bool breeds = model.Model is ILatentModel latent && latent.LatentShape.Length == 1 && images;
        int classes = model.Module is IConditionalSampler { Context: ContextKind.ClassLabel } conditional ? conditional.Classes : 0;
        return new RunDescription(run.Name, model.Recipe.Info.Name, shape, images && !translates, breeds, classes,
            model.Module is IDiffusionModel, model.Model is ITemperedSampler, translates, images && model.Model is ICompletionModel);
    }

    public void Dispose()
    {
        checkpoint?.Model.Dispose();
        checkpoint?.Dispose();
        data?.Dispose();
    }
}
