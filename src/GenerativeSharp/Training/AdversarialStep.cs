using GenerativeSharp.Data;
using GenerativeSharp.Models.Adversarial;
using GenerativeSharp.Training.Games;
using GenerativeSharp.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Training;

/// <summary>
/// The GAN update (Goodfellow et al. 2014, Algorithm 1; pytorch/examples dcgan): (1) update D on a real
/// batch and a detached fake batch, with the optional WGAN-GP gradient penalty (Gulrajani et al. 2017,
/// arXiv:1704.00028, eq. 3); (2) every n_critic-th call, update G through D on a fresh fake batch and fold
/// G into its moving average (<see cref="WeightAverage"/>). It is a two-player <see cref="AdversarialGame"/>:
/// each player has its own flat parameters and Adam (<see cref="FlatAdam"/>);
/// both optimizers' moments and the n_critic counter go into the checkpoint, and the moving average is
/// part of the model's weights, so a resumed run is bit-identical on CPU. A class-conditional GAN
/// (<see cref="AdversarialOptions.Classes"/> &gt; 0) sees real examples with their labels and fakes with labels
/// drawn uniformly, the same fake labels in both phases (Miyato and Koyama 2018, arXiv:1802.05637).
/// </summary>
public sealed class AdversarialStep : ITrainingStep, IDisposable
{
    private const string CounterKey = "_gensharp.adversarial.critic_updates";

    private readonly Gan gan;
    private readonly AdversarialGame game;
    private readonly Player critic;
    private readonly Player generatorPlayer;
    private Tensor? fakeLabels;                    // the round's fake classes, shared by both moves

    /// <summary>Build after the model has reached its device and loaded its weights.</summary>
    public AdversarialStep(Gan gan, double learningRate)
    {
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new InvalidInputException($"learning rate must be a positive number, got {learningRate}.");
        this.gan = gan;
        AdversarialOptions o = gan.Options;
        critic = new Player("d", "critic", gan.CriticNetwork.parameters(), p => new FlatAdam(p, learningRate, o.Beta1, o.Beta2),
            every: 1, CriticMove);
        generatorPlayer = new Player("g", "generator", gan.GeneratorNetwork.parameters(), p => new FlatAdam(p, learningRate, o.Beta1, o.Beta2),
            every: o.CriticSteps, GeneratorMove, round => gan.UpdateAverage(AverageDecay(o.EmaDecay, round / o.CriticSteps)));
        game = new AdversarialGame([critic, generatorPlayer], CounterKey);
    }

    /// <summary>D's parameters, in one flat buffer (tests look at which player moved).</summary>
    public FlatParameters CriticParameters => critic.Parameters;

    /// <summary>G's parameters, in one flat buffer.</summary>
    public FlatParameters GeneratorParameters => generatorPlayer.Parameters;

    /// <summary>One D update and, every n_critic-th call, one G update; a conditional GAN needs the batch's labels.</summary>
    public IReadOnlyDictionary<string, double> Step(Batch batch, Generator generator)
    {
        fakeLabels = gan.Classes > 0 ? gan.RandomLabels(batch.Count, generator) : null;
        return game.Step(batch, generator);
    }

    /// <summary>
    /// (1) update D alone: minimise its loss on real x and detached G(z), plus lambda * gradient penalty. A conditional
    /// GAN scores real x with <paramref name="labels"/> and fakes with <paramref name="fakeLabels"/> (uniform when null).
    /// </summary>
    public IReadOnlyDictionary<string, double> CriticPhase(Tensor real, Generator generator, Tensor? labels = null, Tensor? fakeLabels = null)
    {
        this.fakeLabels = gan.Classes > 0 ? fakeLabels ?? gan.RandomLabels(real.shape[0], generator) : null;
        return game.Move(critic, new Batch(real, labels), generator);
    }

    /// <summary>
    /// (2) update G alone: minimise its loss on D(G(z)) for fresh z, then update the moving average. D's weights stay fixed.
    /// A conditional GAN generates the classes <paramref name="labels"/> (uniform when null).
    /// </summary>
    public double GeneratorPhase(long count, Generator generator, Tensor? labels = null)
    {
        fakeLabels = gan.Classes > 0 ? labels ?? gan.RandomLabels(count, generator) : null;
        using Tensor none = empty([count, 0]);
        return game.Move(generatorPlayer, new Batch(none), generator)["g_loss"];
    }

    /// <summary>D's move: its loss on the real batch and a detached fake one (plus the gradient penalty).</summary>
    private PlayerMove CriticMove(Batch batch, Generator generator)
    {
        AdversarialOptions o = gan.Options;
        Tensor real = batch.Inputs;
        Tensor? labels = gan.Classes > 0 ? CheckLabels(batch.Labels, real.shape[0]) : null;
        Tensor fake;
        using (no_grad())
            fake = gan.Generate(gan.Latents(real.shape[0], generator), fakeLabels);
        Tensor realScore = gan.Critic(real, labels), fakeScore = gan.Critic(fake, fakeLabels);    // [B], [B]
        Tensor loss = AdversarialLosses.Critic(o.Loss, realScore, fakeScore);
        var metrics = new Dictionary<string, double>();
        if (o.GradientPenalty > 0)
        {
            Tensor penalty = GradientPenalty(x => gan.Critic(x, labels), real, fake, generator);
            metrics["gradient_penalty"] = penalty.item<float>();
            loss = loss + o.GradientPenalty * penalty;
        }
        metrics["d_real"] = realScore.mean().item<float>();
        metrics["d_fake"] = fakeScore.mean().item<float>();
        return new PlayerMove(loss, metrics);
    }

    /// <summary>G's move: its loss on D(G(z)) for fresh z (as many as the batch has examples).</summary>
    private PlayerMove GeneratorMove(Batch batch, Generator generator)
    {
        Tensor fakeScore = gan.Critic(gan.Generate(gan.Latents(batch.Count, generator), fakeLabels), fakeLabels);
        return new PlayerMove(AdversarialLosses.Generator(gan.Options.Loss, fakeScore));
    }

    /// <summary>The batch's labels as int64 on the model's device; refuses missing labels or labels outside [0, Classes).</summary>
    private Tensor CheckLabels(Tensor? labels, long count)
    {
        if (labels is null)
            throw new InvalidInputException(
                $"the GAN is conditioned on {gan.Classes} classes, but the data has no labels (the 2-D toy data sets have none; use a labelled image directory).");
        if (labels.dim() != 1 || labels.shape[0] != count)
            throw new InvalidInputException($"expected one label per example ({count}); got [{string.Join(", ", labels.shape)}].");
        Tensor y = labels.to(ScalarType.Int64).to(gan.Device);
        if (count > 0)
        {
            long low = y.min().item<long>(), high = y.max().item<long>();
            if (low < 0 || high >= gan.Classes)
                throw new InvalidInputException($"labels must be in [0, {gan.Classes - 1}] (classes={gan.Classes}); the data has labels in [{low}, {high}].");
        }
        return y;
    }

    /// <summary>
    /// The moving average's decay after <paramref name="generatorUpdates"/> G updates: min(decay, (1 + t) / (10 + t)),
    /// the warm-up of TensorFlow's ExponentialMovingAverage, so short runs do not average in the initial weights.
    /// </summary>
    public static double AverageDecay(double decay, long generatorUpdates) => WeightAverage.WarmDecay(decay, generatorUpdates);

    /// <summary>
    /// The WGAN-GP penalty E[(|grad_x D(x_hat)|_2 - 1)^2] at x_hat = eps x + (1 - eps) x_fake, eps ~ U(0, 1) per
    /// example (Gulrajani et al. 2017, eq. 3), without its weight lambda. The gradient is taken with
    /// create_graph, so the penalty itself can be differentiated with respect to D's weights.
    /// </summary>
    public static Tensor GradientPenalty(Func<Tensor, Tensor> critic, Tensor real, Tensor fake, Generator generator)
    {
        using var scope = NewDisposeScope();
        long[] epsilonShape = [real.shape[0], .. Enumerable.Repeat(1L, (int)real.dim() - 1)];   // [B, 1, ...]
        Tensor epsilon = GenerativeSharp.Runtime.SeededRandom.Uniform(epsilonShape, real.dtype, real.device, generator);
        Tensor mixed = (epsilon * real + (1 - epsilon) * fake.detach()).detach().requires_grad_(true);
        Tensor score = critic(mixed);                                                        // [B]
        Tensor gradient = autograd.grad([score.sum()], [mixed], retain_graph: true, create_graph: true)[0];      // [B, ...event]
        Tensor norm = (gradient.flatten(1).square().sum(1) + 1e-12).sqrt();                 // [B]
        return (norm - 1).square().mean().MoveToOuterDisposeScope();
    }

    public void SaveState(IDictionary<string, Tensor> state) => game.SaveState(state);

    public void LoadState(IReadOnlyDictionary<string, Tensor> state) => game.LoadState(state);

    public void Dispose() => game.Dispose();
}
