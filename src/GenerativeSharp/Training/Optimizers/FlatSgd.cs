using static TorchSharp.torch;

namespace GenerativeSharp.Training.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight
/// decay on flat buffers, with torch.optim.SGD's update: g += wd p; b = g on the first step, else
/// b = mu b + (1 - dampening) g; d = g + mu b (Nesterov) or b; p -= lr d.
/// </summary>
public sealed class FlatSgd : IFlatOptimizer
{
    private readonly double momentum;
    private readonly double dampening;
    private readonly double weightDecay;
    private readonly bool nesterov;
    private readonly Tensor? buffer;
    private readonly Tensor? work;
    private long step;

    public FlatSgd(FlatParameters parameters, double learningRate, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false)
    {
        if (!(learningRate >= 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "must be >= 0");
        if (!(momentum >= 0)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "must be >= 0");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "must be >= 0");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Nesterov momentum needs momentum > 0 and zero dampening.", nameof(nesterov));
        Parameters = parameters;
        LearningRate = learningRate;
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        buffer = momentum != 0 ? zeros_like(parameters.Values) : null;
        work = weightDecay != 0 || nesterov ? zeros_like(parameters.Values) : null;
    }

    public FlatParameters Parameters { get; }

    public double LearningRate { get; set; }

    public void ZeroGrad() => Parameters.ZeroGradients();

    public void Step()
    {
        using var noGrad = no_grad();
        Tensor p = Parameters.Values;
        Tensor d = Parameters.Gradients;
        if (weightDecay != 0)
            d = work!.copy_(d).add_(p, alpha: weightDecay);
        if (buffer is not null)
        {
            if (step == 0) buffer.copy_(d);
            else buffer.mul_(momentum).add_(d, alpha: 1 - dampening);
            d = nesterov ? (ReferenceEquals(d, work) ? d : work!.copy_(d)).add_(buffer, alpha: momentum) : buffer;
        }
        p.add_(d, alpha: -LearningRate);
        step += 1;
    }

    public void SaveState(IDictionary<string, Tensor> state, string prefix)
    {
        if (buffer is not null) state[prefix + "momentum_buffer"] = buffer;
        state[prefix + "step"] = tensor(step);
    }

    public void LoadState(IReadOnlyDictionary<string, Tensor> state, string prefix)
    {
        using var noGrad = no_grad();
        if (buffer is not null) buffer.copy_(FlatState.Get(state, prefix + "momentum_buffer", buffer));
        step = FlatState.Step(state, prefix + "step");
    }

    public void Dispose()
    {
        buffer?.Dispose();
        work?.Dispose();
    }
}
