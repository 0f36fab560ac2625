using GenerativeSharp.Data;
using GenerativeSharp.Models.Adversarial;
using GenerativeSharp.Models.Translation;
using GenerativeSharp.Training.Games;
using GenerativeSharp.Training.Optimizers;
using static TorchSharp.torch;

namespace GenerativeSharp.Training;

/// <summary>
/// The pix2pix update (Isola et al. 2017, section 3.3): a two-player <see cref="AdversarialGame"/>, D then G
/// each round, each with its own Adam (lr, beta1 0.5). G(x) is computed once per round, before the moves
/// (one dropout draw); D minimises half the conditional GAN loss, [softplus(-D(x, y)) + softplus(D(x, G(x)))] / 2
/// averaged over patches (the paper halves D's objective), on the detached G(x); G minimises the
/// non-saturating softplus(-D(x, G(x))) plus lambda |y - G(x)|_1, the L1 mean over pixels in [-1, 1] (as in the
/// authors' code). Both optimizers' moments and the round count go into the checkpoint, so a resumed
/// run is bit-identical on CPU.
/// </summary>
public sealed class Pix2PixStep : ITrainingStep, IDisposable
{
    private const string RoundsKey = "_gensharp.pix2pix.rounds";

    private readonly Pix2Pix model;
    private readonly AdversarialGame game;
    private Round? round;                          // the round's x, y and G(x), shared by both moves

    /// <summary>Build after the model has reached its device and loaded its weights.</summary>
    public Pix2PixStep(Pix2Pix model, double learningRate)
    {
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new InvalidInputException($"learning rate must be a positive number, got {learningRate}.");
        this.model = model;
        Pix2PixOptions o = model.Options;
        var discriminator = new Player("d", "discriminator", model.DiscriminatorNetwork.parameters(),
            p => new FlatAdam(p, learningRate, o.Beta1, o.Beta2), every: 1, DiscriminatorMove);
        var generator = new Player("g", "generator", model.GeneratorNetwork.parameters(),
            p => new FlatAdam(p, learningRate, o.Beta1, o.Beta2), every: 1, GeneratorMove);
        game = new AdversarialGame([discriminator, generator], RoundsKey);
    }

    /// <summary>The game (tests look at its players).</summary>
    public AdversarialGame Game => game;

    /// <summary>One D update and one G update on a batch of pairs (inputs x, targets y, both [B, C, S, S] in [0, 1]).</summary>
    public IReadOnlyDictionary<string, double> Step(Batch batch, Generator generator)
    {
        Tensor y = batch.ExamplesFor(model), x = batch.ContextFor(model);
        if (!x.shape.Skip(1).SequenceEqual(model.InputShape) || !y.shape.Skip(1).SequenceEqual(model.EventShape))
            throw new InvalidInputException($"pix2pix was built for [{string.Join(", ", model.InputShape)}] -> [{string.Join(", ", model.EventShape)}]; " +
                $"the batch has [{string.Join(", ", x.shape.Skip(1))}] -> [{string.Join(", ", y.shape.Skip(1))}].");
        model.train();
        Tensor scaledX = x.to(model.Device) * 2 - 1, scaledY = y.to(model.Device) * 2 - 1;
        round = new Round(scaledX, scaledY, model.Generate(scaledX, generator));        // G(x) with its graph, for G's move
        try
        {
            return game.Step(batch, generator);
        }
        finally
        {
            round = null;
        }
    }

    /// <summary>D's move: half the BCE of real pairs as real and detached fake pairs as fake, over all patches.</summary>
    private PlayerMove DiscriminatorMove(Batch batch, Generator generator)
    {
        Round r = round ?? throw new InvalidOperationException("a pix2pix move outside a round.");
        Tensor real = model.Discriminate(r.X, r.Y).flatten(), fake = model.Discriminate(r.X, r.Fake.detach()).flatten();   // [B P P]
        Tensor loss = AdversarialLosses.Critic(AdversarialLoss.NonSaturating, real, fake) / 2;
        return new PlayerMove(loss, new Dictionary<string, double>
        {
            ["d_real"] = real.mean().item<float>(),
            ["d_fake"] = fake.mean().item<float>(),
        });
    }

    /// <summary>G's move: fool D on every patch, plus lambda times the mean absolute error to the target.</summary>
    private PlayerMove GeneratorMove(Batch batch, Generator generator)
    {
        Round r = round ?? throw new InvalidOperationException("a pix2pix move outside a round.");
        Tensor adversarial = AdversarialLosses.Generator(AdversarialLoss.NonSaturating, model.Discriminate(r.X, r.Fake).flatten());
        Tensor l1 = (r.Fake - r.Y).abs().mean();
        return new PlayerMove(adversarial + model.Options.L1Weight * l1, new Dictionary<string, double>
        {
            ["g_gan"] = adversarial.item<float>(),
            ["g_l1"] = l1.item<float>(),
        });
    }

    public void SaveState(IDictionary<string, Tensor> state) => game.SaveState(state);

    public void LoadState(IReadOnlyDictionary<string, Tensor> state) => game.LoadState(state);

    public void Dispose() => game.Dispose();

    private sealed record Round(Tensor X, Tensor Y, Tensor Fake);
}
