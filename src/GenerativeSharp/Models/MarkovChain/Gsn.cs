using GenerativeSharp.Runtime;
using GenerativeSharp.Distributions;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.MarkovChain;

/// <summary>
/// Generative stochastic network in its walkback denoising-autoencoder form. A corruption
/// C(x~ | x) (salt-and-pepper or Gaussian) and a learned reconstruction distribution P(x | x~)
/// (an MLP giving Bernoulli logits or a Gaussian) define a Markov chain x -> x~ -> x -> ...
/// whose stationary distribution estimates the data distribution when P(x | x~) is a consistent
/// estimator of the true conditional. Training maximises log P(x | x~_k) of the original x for
/// K walkback corruptions x~_k taken along the model's own chain, so that the spurious modes the
/// chain would visit are "unlearned". There is no tractable likelihood; samples come from running
/// the chain from noise. References: Bengio, Yao, Alain and Vincent, "Generalized Denoising
/// Auto-Encoders as Generative Models", 2013 (arXiv:1305.6663); Bengio, Thibodeau-Laufer, Alain
/// and Yosinski, "Deep Generative Stochastic Networks Trainable by Backprop", 2014 (arXiv:1306.1091).
/// </summary>
public sealed class Gsn : nn.Module, IGenerativeModel, ITrainable, IMarkovChainModel
{
    private readonly TorchSharp.Modules.Sequential reconstruction;
    private readonly long dimensions;

    public Gsn(GsnOptions options) : base(nameof(Gsn))
    {
        options.Validate();
        Options = options;
        dimensions = options.EventShape.Aggregate(1L, (a, b) => a * b);
        int outputsPerCoordinate = options.Output == GsnOutput.Gaussian && options.OutputStd is null ? 2 : 1;
        reconstruction = Network(dimensions, options.Hidden, options.Depth, options.Activation, outputsPerCoordinate * dimensions);
        RegisterComponents();
    }

    public GsnOptions Options { get; }

    public long[] EventShape => Options.EventShape;

    /// <summary>The device of the model's parameters.</summary>
    public Device Device => parameters().First().device;

    /// <summary>One draw x~ ~ C(x~ | x), same shape as x [B, ...event].</summary>
    public Tensor Corrupt(Tensor x, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        Tensor corrupted;
        if (Options.Noise == GsnCorruption.Gaussian)
            corrupted = x + Options.NoiseStd * SeededRandom.Normal(x.shape, x.dtype, x.device, generator);
        else
        {
            // Salt-and-pepper: keep a coordinate with probability 1 - p, else replace it by a fair bit.
            Tensor replaced = SeededRandom.Uniform(x.shape, x.dtype, x.device, generator) < Options.NoiseProbability;
            Tensor bits = (SeededRandom.Uniform(x.shape, x.dtype, x.device, generator) < 0.5).to(x.dtype);
            corrupted = where(replaced, bits, x);
        }
        return corrupted.MoveToOuterDisposeScope();
    }

    /// <summary>log P(x | x~) per example in nats: x and corrupted [B, ...event] -> [B].</summary>
    public Tensor LogLikelihood(Tensor x, Tensor corrupted)
    {
        CheckBatch(x);
        CheckBatch(corrupted);
        using var scope = NewDisposeScope();
        return LogProb(x, Parameters(corrupted)).MoveToOuterDisposeScope();
    }

    /// <summary>The reconstruction mean E[x | x~] (pixel probabilities for a Bernoulli output), [B, ...event].</summary>
    public Tensor Reconstruct(Tensor corrupted)
    {
        CheckBatch(corrupted);
        using var scope = NewDisposeScope();
        return Mean(Parameters(corrupted)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The walkback loss (Bengio et al. 2013, algorithm 2): x~_1 = C(x); for k = 1..K the negative
    /// log-likelihood -log P(x | x~_k) of the ORIGINAL x, then x_k ~ P(. | x~_k) (or its mean) and
    /// x~_(k+1) = C(x_k). The loss is the mean over the K terms of the per-example NLL (summed over
    /// coordinates), averaged over the batch. The chain states are constants: no gradient flows
    /// through a draw.
    /// </summary>
    public StepResult Loss(Tensor batch, Generator? generator = null)
    {
        CheckBatch(batch);
        var terms = new List<Tensor>();
        Tensor state = batch;                                                 // x_0 = x, [B, ...event]
        for (int k = 0; k < Options.Walkback; k++)
        {
            Tensor parameters = Parameters(Corrupt(state, generator));       // [B, P*D]
            terms.Add(-LogProb(batch, parameters).mean());
            if (k + 1 < Options.Walkback)
                state = (Options.WalkbackDraw == GsnWalkbackDraw.Sample ? Draw(parameters, generator) : Mean(parameters)).detach();
        }
        Tensor loss = stack(terms).mean();
        return new StepResult(loss, new Dictionary<string, Tensor>
        {
            ["reconstruction_nll"] = terms[0].detach(),
            ["walkback_nll"] = terms[^1].detach(),
        });
    }

    /// <summary>
    /// Runs the model's Markov chain x_t -> x~ = C(x_t) -> x_(t+1) ~ P(x | x~) for
    /// <paramref name="steps"/> steps from <paramref name="start"/> [B, ...event] and returns the
    /// reconstruction means E[x | x~] after every <paramref name="thinning"/>-th step:
    /// [steps / thinning, B, ...event]. The chain itself carries draws; the snapshots show means.
    /// </summary>
    public Tensor Chain(Tensor start, int steps, int thinning, Generator? generator = null)
    {
        CheckBatch(start);
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "need at least one chain step");
        if (thinning < 1 || thinning > steps)
            throw new ArgumentOutOfRangeException(nameof(thinning), thinning, $"thinning must lie in [1, steps = {steps}]");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (snapshots, _) = Run(start, steps, thinning, generator);
        return stack(snapshots).MoveToOuterDisposeScope();                    // [S, B, ...event]
    }

    /// <summary>The chain after <paramref name="burnIn"/> unrecorded steps: [snapshots, B, ...event].</summary>
    public Tensor Chain(Tensor start, int burnIn, int snapshots, int thinning, Generator? generator = null)
    {
        if (burnIn < 0) throw new ArgumentOutOfRangeException(nameof(burnIn), burnIn, "burn-in must be >= 0");
        if (burnIn == 0) return Chain(start, snapshots * thinning, thinning, generator);
        CheckBatch(start);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (_, burnt) = Run(start, burnIn, burnIn, generator);
        return Chain(burnt, snapshots * thinning, thinning, generator).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Starts <paramref name="count"/> chains from noise (fair random bits for a Bernoulli output,
    /// N(0, I) for a Gaussian one), runs <see cref="GsnOptions.Burnin"/> steps and returns the last
    /// reconstruction means (pixel probabilities) for a Bernoulli output, the last draws of the
    /// chain for a Gaussian output: [count, ...event].
    /// </summary>
    public Tensor Sample(int count, Generator? generator = null)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "need at least one sample");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long[] shape = WithBatch(count);
        Tensor start = Options.Output == GsnOutput.Bernoulli
            ? (SeededRandom.Uniform(shape, ScalarType.Float32, Device, generator) < 0.5).to(ScalarType.Float32)
            : SeededRandom.Normal(shape, ScalarType.Float32, Device, generator);
        var (snapshots, last) = Run(start, Options.Burnin, Options.Burnin, generator);
        return (Options.Output == GsnOutput.Bernoulli ? snapshots[0] : last).MoveToOuterDisposeScope();
    }

    /// <summary>The chain, one dispose scope per step: the means every thinning-th step and the last state.</summary>
    private (List<Tensor> Snapshots, Tensor Last) Run(Tensor start, int steps, int thinning, Generator? generator)
    {
        var snapshots = new List<Tensor>();
        Tensor state = start;
        for (int t = 1; t <= steps; t++)
        {
            using var stepScope = NewDisposeScope();
            Tensor parameters = Parameters(Corrupt(state, generator));       // [B, P*D]
            if (t % thinning == 0) snapshots.Add(Mean(parameters).MoveToOuterDisposeScope());
            Tensor next = Draw(parameters, generator).MoveToOuterDisposeScope();
            if (!ReferenceEquals(state, start)) state.Dispose();
            state = next;
        }
        return (snapshots, state);
    }

    /// <summary>The reconstruction network's outputs for x~ [B, ...event]: [B, P*D].</summary>
    private Tensor Parameters(Tensor corrupted) => reconstruction.forward(corrupted.flatten(1));

    private Tensor LogProb(Tensor x, Tensor parameters) => Options.Output == GsnOutput.Bernoulli
        ? new Bernoulli(parameters.view(x.shape)).LogProb(x)
        : Gaussian(parameters).LogProb(x.flatten(1));

    private Tensor Mean(Tensor parameters)
    {
        Tensor mean = Options.Output == GsnOutput.Bernoulli ? parameters.sigmoid() : Gaussian(parameters).Mu;
        return mean.view(WithBatch(parameters.shape[0]));                    // [B, D] -> [B, ...event]
    }

    private Tensor Draw(Tensor parameters, Generator? generator)
    {
        Tensor draw = Options.Output == GsnOutput.Bernoulli
            ? Bernoulli.Draw(parameters.sigmoid(), generator)
            : Gaussian(parameters).RSample(generator);
        return draw.view(WithBatch(parameters.shape[0]));                    // [B, D] -> [B, ...event]
    }

    private DiagonalNormal Gaussian(Tensor parameters)
    {
        if (Options.OutputStd is double std)
            return new DiagonalNormal(parameters, full_like(parameters, 2 * Math.Log(std)));
        Tensor split = parameters.view(-1, 2, dimensions);                    // [B, 2, D]: mean, log variance
        return new DiagonalNormal(split[.., 0], split[.., 1].clamp(-12.0, 8.0));
    }

    private long[] WithBatch(long batch) => new[] { batch }.Concat(EventShape).ToArray();

    private void CheckBatch(Tensor x)
    {
        if (x.dim() != EventShape.Length + 1 || !x.shape.Skip(1).SequenceEqual(EventShape))
            throw new ArgumentException($"expected a batch [B, {string.Join(", ", EventShape)}]; got [{string.Join(", ", x.shape)}].");
    }

    /// <summary>depth x (Linear, activation) from D inputs, then a Linear to the outputs.</summary>
    private static TorchSharp.Modules.Sequential Network(long inputs, int hidden, int depth, GsnActivation activation, long outputs)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int i = 0; i < depth; i++)
        {
            layers.Add(($"linear{i}", nn.Linear(i == 0 ? inputs : hidden, hidden)));
            layers.Add(($"activation{i}", activation == GsnActivation.Tanh ? nn.Tanh() : nn.ReLU()));
        }
        layers.Add(("output", nn.Linear(hidden, outputs)));
        return nn.Sequential(layers.ToArray());
    }
}
