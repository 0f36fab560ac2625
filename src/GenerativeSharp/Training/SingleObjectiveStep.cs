using GenerativeSharp.Data;
using GenerativeSharp.Distributed;
using GenerativeSharp.Models;
using GenerativeSharp.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Training;

/// <summary>
/// The plain step for any <see cref="ITrainable"/>: loss, backward, optional gradient clipping,
/// then a flat-buffer Adam update (<see cref="FlatAdam"/>: a handful of ops whatever the number of
/// parameter tensors). A non-finite loss or gradient norm stops training with a clear message
/// instead of silently writing NaN weights. In a data-parallel run the flat gradient is averaged over the ranks
/// (<see cref="DataParallel.AverageGradients"/>) right after backward. Build it after the model has reached its device and
/// loaded its weights: its parameters become views into one buffer.
/// </summary>
public sealed class SingleObjectiveStep : ITrainingStep, IDisposable
{
    private const string OptimizerPrefix = "_gensharp.optimizer.";
    private const string DecayKey = "_gensharp.schedule.updates";

    private readonly ITrainable model;
    private readonly FlatParameters parameters;
    private readonly IFlatOptimizer optimizer;
    private readonly double? clipGradientNorm;
    private readonly double baseLearningRate;
    private readonly ILearningRateSchedule? decay;
    private long updates;

    public SingleObjectiveStep(nn.Module model, double learningRate, double? clipGradientNorm = null, ILearningRateSchedule? decay = null)
    {
        this.model = model as ITrainable
            ?? throw new ArgumentException($"{model.GetType().Name} is not ITrainable; it needs its own training step.", nameof(model));
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new InvalidInputException($"learning rate must be a positive number, got {learningRate}.");
        parameters = new FlatParameters(model.parameters());
        optimizer = new FlatAdam(parameters, learningRate);
        this.clipGradientNorm = clipGradientNorm;
        baseLearningRate = learningRate;
        this.decay = decay;
    }

    /// <summary>The optimizer, for benchmarks that time its step alone.</summary>
    public IFlatOptimizer Optimizer => optimizer;

    /// <summary>One update; a conditional model gets the batch's context (labels, or paired images), and refuses to train without it.</summary>
    public IReadOnlyDictionary<string, double> Step(Batch batch, Generator generator)
    {
        optimizer.ZeroGrad();
        StepResult result = model is IConditionalTrainable conditional
            ? conditional.Loss(batch.ExamplesFor(conditional), batch.ContextFor(conditional), generator)
            : model.Loss(batch.Inputs, generator);
        double loss = result.Loss.item<float>();
        if (!double.IsFinite(loss))
            throw new TrainingDivergedException($"the loss became {loss}; lower the learning rate (--lr) or check the data.");
        result.Loss.backward();
        DataParallel.Current?.AverageGradients(parameters.Gradients);       // data-parallel: the global batch's gradient, before clipping
        var metrics = new Dictionary<string, double> { ["loss"] = loss };
        if (clipGradientNorm is double maxNorm)
        {
            // torch.nn.utils.clip_grad_norm_'s rule, on the flat gradient: one norm, at most one scale.
            double norm = parameters.Gradients.norm().item<float>();
            if (!double.IsFinite(norm))
                throw new TrainingDivergedException($"the gradient norm became {norm}; lower the learning rate (--lr).");
            double coefficient = maxNorm / (norm + 1e-6);
            if (coefficient < 1)
                using (no_grad()) parameters.Gradients.mul_(coefficient);
            metrics["grad_norm"] = norm;
        }
        if (decay is not null) optimizer.LearningRate = baseLearningRate * decay.Factor(updates);
        optimizer.Step();
        updates++;
        foreach (var (name, value) in result.Metrics)
            metrics[name] = value.item<float>();
        return metrics;
    }

    public void SaveState(IDictionary<string, Tensor> state)
    {
        optimizer.SaveState(state, OptimizerPrefix);
        if (decay is not null) state[DecayKey] = tensor(updates);
    }

    public void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        optimizer.LoadState(state, OptimizerPrefix);
        if (decay is not null)
            updates = state.TryGetValue(DecayKey, out Tensor? count) ? count.item<long>()
                : throw new InvalidInputException("the checkpoint has no learning-rate schedule count; it was written by another training step.");
    }

    public void Dispose()
    {
        optimizer.Dispose();
        parameters.Dispose();
    }
}
