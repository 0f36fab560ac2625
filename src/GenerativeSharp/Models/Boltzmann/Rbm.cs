using GenerativeSharp.Runtime;
using GenerativeSharp.Distributions;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Boltzmann;

/// <summary>
/// Restricted Boltzmann machine: binary hidden units h, visible units v (binary, or real-valued with
/// unit variance), energy E(v, h) = -b.v - c.h - v W h (Gaussian visible: ||v - b||^2 / 2 - c.h - v W h).
/// Hidden units sum out in closed form, so the free energy F(v) = -log sum_h exp(-E(v, h)) is exact
/// and p(v) = exp(-F(v)) / Z; Z itself is estimated outside the model (Evaluation/RbmPartitionFunction).
/// Block Gibbs sampling alternates p(h | v) = sigmoid(c + v W) and p(v | h) = sigmoid(b + W h) (or
/// N(b + W h, I)). References: Smolensky 1986; Hinton, "Training Products of Experts by Minimizing
/// Contrastive Divergence", 2002; Tieleman, "Training RBMs using Approximations to the Likelihood
/// Gradient", ICML 2008; Hinton, "A Practical Guide to Training RBMs", 2010 (UTML TR 2010-003).
/// </summary>
public sealed class Rbm : nn.Module, IEnergyModel, IMarkovChainModel
{
    private readonly TorchSharp.Modules.Parameter weight;
    private readonly TorchSharp.Modules.Parameter visibleBias;
    private readonly TorchSharp.Modules.Parameter hiddenBias;

    public Rbm(RbmOptions options) : base(nameof(Rbm))
    {
        options.Validate();
        Options = options;
        Visible = options.EventShape.Aggregate(1L, (a, b) => a * b);
        // Small random weights, zero biases (Hinton 2010, section 8); the global RNG is seeded by the caller.
        weight = nn.Parameter(randn(Visible, options.Hidden) * 0.01);
        visibleBias = nn.Parameter(zeros(Visible));
        hiddenBias = nn.Parameter(zeros(options.Hidden));
        RegisterComponents();
    }

    public RbmOptions Options { get; }

    public long Visible { get; }

    public int Hidden => Options.Hidden;

    public long[] EventShape => Options.EventShape;

    /// <summary>W, [visible, hidden].</summary>
    public Tensor Weight => weight;

    /// <summary>b, [visible].</summary>
    public Tensor VisibleBias => visibleBias;

    /// <summary>c, [hidden].</summary>
    public Tensor HiddenBias => hiddenBias;

    public Tensor FreeEnergy(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor v = Flatten(x);                                                   // [B, V]
        Tensor hiddenTerm = nn.functional.softplus(v.matmul(weight) + hiddenBias).sum(1);
        Tensor visibleTerm = Options.Visible == RbmVisible.Bernoulli
            ? -v.matmul(visibleBias)
            : 0.5 * (v - visibleBias).square().sum(1);
        return (visibleTerm - hiddenTerm).MoveToOuterDisposeScope();
    }

    /// <summary>p(h_j = 1 | v) = sigmoid(c_j + v W_j), [B, H]; v is [B, V] or [B, ...event].</summary>
    public Tensor HiddenProbabilities(Tensor v) => (Flatten(v).matmul(weight) + hiddenBias).sigmoid();

    /// <summary>E[v | h]: sigmoid(b + W h) for binary units, b + W h for Gaussian ones, [B, V].</summary>
    public Tensor VisibleMean(Tensor h)
    {
        Tensor activation = h.matmul(weight.t()) + visibleBias;
        return Options.Visible == RbmVisible.Bernoulli ? activation.sigmoid() : activation;
    }

    /// <summary>A draw of v given h, [B, V].</summary>
    public Tensor SampleVisible(Tensor h, Generator? generator)
    {
        using var scope = NewDisposeScope();
        Tensor mean = VisibleMean(h);
        Tensor v = Options.Visible == RbmVisible.Bernoulli
            ? Bernoulli.Draw(mean, generator)
            : mean + SeededRandom.Normal(mean.shape, mean.dtype, mean.device, generator);
        return v.MoveToOuterDisposeScope();
    }

    /// <summary>One block-Gibbs sweep v -> h -> v' (draws), [B, V].</summary>
    public Tensor GibbsStep(Tensor v, Generator? generator)
    {
        using var scope = NewDisposeScope();
        Tensor h = Bernoulli.Draw(HiddenProbabilities(v), generator);
        return SampleVisible(h, generator).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Runs a Gibbs chain from <paramref name="start"/> ([B, ...event]) and returns snapshots of
    /// E[v | h] every <paramref name="thinning"/> sweeps after <paramref name="burnIn"/>:
    /// [snapshots, B, ...event].
    /// </summary>
    public Tensor Chain(Tensor start, int burnIn, int snapshots, int thinning, Generator? generator = null)
    {
        if (snapshots < 1 || thinning < 1 || burnIn < 0)
            throw new ArgumentException($"need snapshots >= 1, thinning >= 1, burn-in >= 0; got {snapshots}, {thinning}, {burnIn}.");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor v = Flatten(start).clone();                                       // ours to dispose as the chain moves
        for (int i = 0; i < burnIn; i++) v = Sweep(v, generator);
        var frames = new List<Tensor>();
        for (int s = 0; s < snapshots; s++)
        {
            for (int i = 0; i < thinning; i++) v = Sweep(v, generator);
            frames.Add(VisibleMean(Bernoulli.Draw(HiddenProbabilities(v), generator)).view(WithBatch(v.shape[0])));
        }
        return stack(frames).MoveToOuterDisposeScope();
    }

    /// <summary>Runs <see cref="RbmOptions.SampleBurnIn"/> Gibbs sweeps from uniform noise; returns E[v | h] of the last sweep.</summary>
    public Tensor Sample(int count, Generator? generator = null)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Device device = weight.device;
        Tensor start = Options.Visible == RbmVisible.Bernoulli
            ? Bernoulli.Draw(full(new long[] { count, Visible }, 0.5f, device: device), generator)
            : SeededRandom.Normal([count, Visible], ScalarType.Float32, device, generator);
        return Chain(start, Options.SampleBurnIn, 1, 1, generator)[0].MoveToOuterDisposeScope();
    }

    /// <summary>E(v, h) for explicit configurations (tests, enumeration): v [B, V], h [B, H] -> [B].</summary>
    public Tensor Energy(Tensor v, Tensor h)
    {
        using var scope = NewDisposeScope();
        Tensor interaction = (v.matmul(weight) * h).sum(1);
        Tensor visibleTerm = Options.Visible == RbmVisible.Bernoulli ? -v.matmul(visibleBias) : 0.5 * (v - visibleBias).square().sum(1);
        return (visibleTerm - h.matmul(hiddenBias) - interaction).MoveToOuterDisposeScope();
    }

    /// <summary>One sweep that frees the previous state at once, so long chains use constant memory.</summary>
    private Tensor Sweep(Tensor v, Generator? generator)
    {
        Tensor next = GibbsStep(v, generator);
        v.Dispose();
        return next;
    }

    private Tensor Flatten(Tensor x)
    {
        if (x.dim() == 2 && x.shape[1] == Visible) return x;
        if (x.dim() != EventShape.Length + 1 || !x.shape.Skip(1).SequenceEqual(EventShape))
            throw new ArgumentException($"expected a batch [B, {string.Join(", ", EventShape)}] or [B, {Visible}]; got [{string.Join(", ", x.shape)}].");
        return x.flatten(1);                                                     // [B, ...event] -> [B, V]
    }

    private long[] WithBatch(long batch) => new[] { batch }.Concat(EventShape).ToArray();
}
