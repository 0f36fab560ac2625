using GenerativeSharp.Data;
using GenerativeSharp.Models.Diffusion;
using static TorchSharp.torch;

namespace GenerativeSharp.Training;

/// <summary>
/// The step of a <see cref="Ddpm"/>: the simple loss through <see cref="SingleObjectiveStep"/> (flat Adam; the moving
/// average's weights take no gradient and stay out of it), then the moving average of the weights moves with the
/// warm-up decay of <see cref="WeightAverage.WarmDecay"/>. The update count goes into the checkpoint, so a resumed run
/// continues the same decays.
/// </summary>
public sealed class DiffusionStep : ITrainingStep, IDisposable
{
    private const string UpdatesKey = "_gensharp.diffusion.ema_updates";

    private readonly Ddpm model;
    private readonly SingleObjectiveStep inner;
    private long updates;

    public DiffusionStep(Ddpm model, double learningRate, double? clipGradientNorm = 1.0)
    {
        this.model = model;
        inner = new SingleObjectiveStep(model, learningRate, clipGradientNorm);
    }

    public IReadOnlyDictionary<string, double> Step(Batch batch, Generator generator)
    {
        IReadOnlyDictionary<string, double> metrics = inner.Step(batch, generator);
        model.UpdateAverage(WeightAverage.WarmDecay(model.Options.Ema, updates));
        updates++;
        return metrics;
    }

    public void SaveState(IDictionary<string, Tensor> state)
    {
        inner.SaveState(state);
        state[UpdatesKey] = tensor(updates);
    }

    public void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        inner.LoadState(state);
        updates = state.TryGetValue(UpdatesKey, out Tensor? count) ? count.item<long>()
            : throw new InvalidInputException("the checkpoint has no moving-average count; it was written by another training step.");
    }

    public void Dispose() => inner.Dispose();
}
