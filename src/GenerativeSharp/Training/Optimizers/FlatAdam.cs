using static TorchSharp.torch;

namespace GenerativeSharp.Training.Optimizers;

/// <summary>
/// Adam (Kingma and Ba 2015, arXiv:1412.6980) and, with decoupled weight decay, AdamW (Loshchilov
/// and Hutter 2019, arXiv:1711.05101) on flat buffers. The update is torch.optim's, op for op:
/// (AdamW) p *= 1 - lr wd; (Adam with wd) g += wd p; m = b1 m + (1 - b1) g;
/// v = b2 v + (1 - b2) g^2; p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
/// Six to eight whole-buffer ops per step and no allocation.
/// </summary>
public sealed class FlatAdam : IFlatOptimizer
{
    private readonly double beta1;
    private readonly double beta2;
    private readonly double epsilon;
    private readonly double weightDecay;
    private readonly bool decoupled;
    private readonly Tensor m;
    private readonly Tensor v;
    private readonly Tensor denominator;
    private readonly Tensor? decayedGradient;
    private long step;

    public FlatAdam(FlatParameters parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0, bool decoupledWeightDecay = false)
    {
        if (!(learningRate >= 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "must be >= 0");
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "must be in [0, 1)");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "must be in [0, 1)");
        if (!(epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "must be >= 0");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "must be >= 0");
        Parameters = parameters;
        LearningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        decoupled = decoupledWeightDecay;
        m = zeros_like(parameters.Values);
        v = zeros_like(parameters.Values);
        denominator = zeros_like(parameters.Values);
        decayedGradient = weightDecay != 0 && !decoupled ? zeros_like(parameters.Values) : null;
    }

    /// <summary>AdamW: Adam with decoupled weight decay (default 0.01, as torch.optim.AdamW).</summary>
    public static FlatAdam AdamW(FlatParameters parameters, double learningRate = 1e-3, double weightDecay = 0.01,
        double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8) =>
        new(parameters, learningRate, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay: true);

    public FlatParameters Parameters { get; }

    public double LearningRate { get; set; }

    public void ZeroGrad() => Parameters.ZeroGradients();

    public void Step()
    {
        using var noGrad = no_grad();
        Tensor p = Parameters.Values, g = Parameters.Gradients;
        step += 1;
        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        if (weightDecay != 0 && decoupled)
            p.mul_(1 - LearningRate * weightDecay);
        if (decayedGradient is not null)
            g = decayedGradient.copy_(g).add_(p, alpha: weightDecay);
        m.mul_(beta1).add_(g, alpha: 1 - beta1);
        v.mul_(beta2).addcmul_(g, g, value: 1 - beta2);
        denominator.copy_(v).sqrt_().div_(Math.Sqrt(biasCorrection2)).add_(epsilon);
        p.addcdiv_(m, denominator, value: -(LearningRate / biasCorrection1));
    }

    public void SaveState(IDictionary<string, Tensor> state, string prefix)
    {
        state[prefix + "exp_avg"] = m;
        state[prefix + "exp_avg_sq"] = v;
        state[prefix + "step"] = tensor(step);
    }

    public void LoadState(IReadOnlyDictionary<string, Tensor> state, string prefix)
    {
        using var noGrad = no_grad();
        m.copy_(FlatState.Get(state, prefix + "exp_avg", m));
        v.copy_(FlatState.Get(state, prefix + "exp_avg_sq", v));
        step = FlatState.Step(state, prefix + "step");
    }

    public void Dispose()
    {
        m.Dispose();
        v.Dispose();
        denominator.Dispose();
        decayedGradient?.Dispose();
    }
}
