using GenerativeSharp.Data;
using GenerativeSharp.Distributed;
using GenerativeSharp.Distributions;
using GenerativeSharp.Models.Boltzmann;
using GenerativeSharp.Training.Optimizers;
using static TorchSharp.torch;

namespace GenerativeSharp.Training;

/// <summary>
/// The RBM's update: contrastive divergence CD-k (Hinton 2002) or persistent CD (Tieleman 2008).
/// The log-likelihood gradient is E_data[v h^T] - E_model[v h^T]; the positive phase uses the
/// data and p(h | v), the negative phase k block-Gibbs sweeps started at the data (CD) or at
/// persistent chains carried from step to step (PCD). The gradient goes into the flat gradient
/// buffer and an SGD-with-momentum step applies it; weight decay acts on W only
/// (Hinton, "A Practical Guide to Training RBMs", 2010).
/// </summary>
public sealed class ContrastiveDivergenceStep : ITrainingStep, IDisposable
{
    private const string OptimizerPrefix = "_gensharp.optimizer.";
    private const string ChainsKey = "_gensharp.pcd_chains";

    private readonly Rbm rbm;
    private readonly FlatParameters parameters;
    private readonly FlatSgd optimizer;
    private Tensor? chains;

    public ContrastiveDivergenceStep(Rbm rbm, double learningRate)
    {
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new InvalidInputException($"learning rate must be a positive number, got {learningRate}.");
        this.rbm = rbm;
        parameters = new FlatParameters(rbm.parameters());
        optimizer = new FlatSgd(parameters, learningRate, momentum: rbm.Options.Momentum);
    }

    public IReadOnlyDictionary<string, double> Step(Batch batch, Generator generator)
    {
        using var noGrad = no_grad();
        Tensor v0 = batch.Inputs.flatten(1);                                           // [B, ...event] -> [B, V]
        long size = v0.shape[0];

        // (1) positive phase: the data and p(h | v0)
        Tensor ph0 = rbm.HiddenProbabilities(v0);                                // [B, H]
        Tensor h0 = Bernoulli.Draw(ph0, generator);
        Tensor reconstruction = rbm.VisibleMean(h0);

        // (2) negative phase: k Gibbs sweeps from the data (CD) or from the persistent chains (PCD)
        Tensor vk;
        if (rbm.Options.Persistent)
        {
            chains ??= Bernoulli.Draw(full(v0.shape, 0.5f, device: v0.device), generator).DetachFromDisposeScope();
            vk = chains;
            for (int i = 0; i < rbm.Options.GibbsSteps; i++) vk = rbm.GibbsStep(vk, generator);
        }
        else
        {
            vk = rbm.SampleVisible(h0, generator);
            for (int i = 1; i < rbm.Options.GibbsSteps; i++) vk = rbm.GibbsStep(vk, generator);
        }
        Tensor phk = rbm.HiddenProbabilities(vk);
        long negatives = vk.shape[0];

        // (3) gradient of the negative log-likelihood, written into the flat gradient buffer
        Tensor gradientW = -(v0.t().matmul(ph0) / size - vk.t().matmul(phk) / negatives);
        if (rbm.Options.WeightDecay != 0) gradientW = gradientW + rbm.Options.WeightDecay * rbm.Weight;
        rbm.Weight.grad!.copy_(gradientW);
        rbm.VisibleBias.grad!.copy_(-(v0.mean([0]) - vk.mean([0])));
        rbm.HiddenBias.grad!.copy_(-(ph0.mean([0]) - phk.mean([0])));
        DataParallel.Current?.AverageGradients(parameters.Gradients);   // data-parallel: the statistics of the global batch
        optimizer.Step();
        if (rbm.Options.Persistent) chains!.copy_(vk);

        double error = (v0 - reconstruction).square().sum(1).mean().item<float>();
        if (!double.IsFinite(error))
            throw new TrainingDivergedException($"the reconstruction error became {error}; lower the learning rate (--lr).");
        double gap = (rbm.FreeEnergy(v0).mean() - rbm.FreeEnergy(vk).mean()).item<float>();
        return new Dictionary<string, double> { ["loss"] = error, ["reconstruction_error"] = error, ["free_energy_gap"] = gap };
    }

    public void SaveState(IDictionary<string, Tensor> state)
    {
        optimizer.SaveState(state, OptimizerPrefix);
        if (chains is not null) state[ChainsKey] = chains;
    }

    public void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        optimizer.LoadState(state, OptimizerPrefix);
        if (state.TryGetValue(ChainsKey, out Tensor? saved))
        {
            chains?.Dispose();
            chains = saved.to(rbm.Weight.device).clone().DetachFromDisposeScope();
        }
    }

    public void Dispose()
    {
        chains?.Dispose();
        optimizer.Dispose();
        parameters.Dispose();
    }
}
