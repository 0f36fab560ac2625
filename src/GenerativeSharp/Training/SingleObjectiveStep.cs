using GenerativeSharp.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Training;

/// <summary>
/// The plain step for any <see cref="ITrainable"/>: loss, backward, optional gradient clipping,
/// Adam update. A non-finite loss or gradient stops training with a clear message instead of
/// silently writing NaN weights.
/// </summary>
public sealed class SingleObjectiveStep : ITrainingStep
{
    private const string OptimizerKey = "_gensharp.optimizer";

    private readonly ITrainable model;
    private readonly nn.Module module;
    private readonly TorchSharp.Modules.Adam optimizer;
    private readonly double? clipGradientNorm;

    public SingleObjectiveStep(nn.Module model, double learningRate, double? clipGradientNorm = null)
    {
        this.model = model as ITrainable
            ?? throw new ArgumentException($"{model.GetType().Name} is not ITrainable; it needs its own training step.", nameof(model));
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new InvalidInputException($"learning rate must be a positive number, got {learningRate}.");
        module = model;
        optimizer = optim.Adam(model.parameters(), lr: learningRate);
        this.clipGradientNorm = clipGradientNorm;
    }

    public IReadOnlyDictionary<string, double> Step(Tensor batch, Generator generator)
    {
        optimizer.zero_grad();
        StepResult result = model.Loss(batch, generator);
        double loss = result.Loss.item<float>();
        if (!double.IsFinite(loss))
            throw new TrainingDivergedException($"the loss became {loss}; lower the learning rate (--lr) or check the data.");
        result.Loss.backward();
        if (clipGradientNorm is double maxNorm)
        {
            double norm = nn.utils.clip_grad_norm_(module.parameters(), maxNorm);
            if (!double.IsFinite(norm))
                throw new TrainingDivergedException($"the gradient norm became {norm}; lower the learning rate (--lr).");
        }
        optimizer.step();
        var metrics = new Dictionary<string, double> { ["loss"] = loss };
        foreach (var (name, value) in result.Metrics)
            metrics[name] = value.item<float>();
        return metrics;
    }

    public void SaveState(IDictionary<string, Tensor> state)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
            optimizer.save_state_dict(writer);
        state[OptimizerKey] = tensor(buffer.ToArray());
    }

    public void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        if (!state.TryGetValue(OptimizerKey, out Tensor? saved))
            throw new InvalidInputException("the checkpoint holds no optimizer state; it cannot be resumed.");
        byte[] bytes = saved.data<byte>().ToArray();
        using var reader = new BinaryReader(new MemoryStream(bytes));
        optimizer.load_state_dict(reader);
    }
}
