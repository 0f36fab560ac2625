using GenerativeSharp.Data;
using GenerativeSharp.Models.Translation;
using GenerativeSharp.Training.Games;
using GenerativeSharp.Training.Optimizers;
using static TorchSharp.torch;

namespace GenerativeSharp.Training;

/// <summary>
/// The CycleGAN update (Zhu et al. 2017, sections 3 and 4): a three-player <see cref="AdversarialGame"/>, each
/// round the generators G and F together (one player, one Adam), then D_A, then D_B (each its own Adam; lr, beta1
/// 0.5). G(a), F(b), F(G(a)) and G(F(b)) are computed once per round, before the moves. The generators minimise
/// the least-squares GAN losses (D_B(G(a)) - 1)^2 + (D_A(F(b)) - 1)^2, plus lambda (|F(G(a)) - a|_1 +
/// |G(F(b)) - b|_1) for the cycles <see cref="CycleGanOptions.Cycle"/> keeps, plus identity x lambda
/// (|G(b) - b|_1 + |F(a) - a|_1). Each D minimises [(D(real) - 1)^2 + D(fake)^2] / 2 on its real domain's images
/// and a fake drawn through its <see cref="ImageHistoryPool"/>. The batch is unpaired: its inputs are A images and
/// its targets B images drawn independently of them (the trainer draws the targets with a permutation of its own
/// for an <see cref="Models.IUnpairedTranslator"/>); nothing here uses which B came with which A. The learning rate
/// follows <see cref="LinearDecay"/> over <see cref="CycleGanOptions.ScheduleSteps"/> rounds. Optimizer moments,
/// both pools and the round count go into the checkpoint, so a resumed run is bit-identical on CPU.
/// </summary>
public sealed class CycleGanStep : ITrainingStep, IDisposable
{
    private const string RoundsKey = "_gensharp.cyclegan.rounds";

    private readonly CycleGan model;
    private readonly AdversarialGame game;
    private readonly ImageHistoryPool poolA, poolB;
    private readonly double baseLearningRate;
    private readonly LinearDecay? schedule;
    private Round? round;

    /// <summary>Build after the model has reached its device and loaded its weights.</summary>
    public CycleGanStep(CycleGan model, double learningRate)
    {
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new InvalidInputException($"learning rate must be a positive number, got {learningRate}.");
        this.model = model;
        CycleGanOptions o = model.Options;
        baseLearningRate = learningRate;
        schedule = o.ScheduleSteps > 0 ? new LinearDecay(o.ScheduleSteps / 2, o.ScheduleSteps - o.ScheduleSteps / 2) : null;
        poolA = new ImageHistoryPool(o.PoolSize, "_gensharp.cyclegan.pool_a");
        poolB = new ImageHistoryPool(o.PoolSize, "_gensharp.cyclegan.pool_b");
        FlatAdam Adam(FlatParameters p) => new(p, learningRate, o.Beta1, o.Beta2);
        var generators = new Player("g", "generators", model.GeneratorParameters, Adam, every: 1, GeneratorMove);
        var criticA = new Player("d_a", "discriminator D_A", model.CriticA.parameters(), Adam, every: 1, (b, g) => CriticMove(domainA: true, g));
        var criticB = new Player("d_b", "discriminator D_B", model.CriticB.parameters(), Adam, every: 1, (b, g) => CriticMove(domainA: false, g));
        game = new AdversarialGame([generators, criticA, criticB], RoundsKey);
    }

    /// <summary>The game (tests look at its players).</summary>
    public AdversarialGame Game => game;

    /// <summary>The history pools of D_A (fakes F(b)) and D_B (fakes G(a)).</summary>
    public (ImageHistoryPool A, ImageHistoryPool B) Pools => (poolA, poolB);

    /// <summary>The learning rate of the coming round.</summary>
    public double LearningRate => baseLearningRate * (schedule?.Factor(game.Rounds) ?? 1.0);

    /// <summary>One move of each player on A images (the batch's inputs) and B images (its targets, unpaired), both [B, C, S, S] in [0, 1].</summary>
    public IReadOnlyDictionary<string, double> Step(Batch batch, Generator generator)
    {
        Tensor b = batch.ExamplesFor(model), a = batch.ContextFor(model);
        if (!a.shape.Skip(1).SequenceEqual(model.InputShape) || !b.shape.Skip(1).SequenceEqual(model.EventShape))
            throw new InvalidInputException($"cyclegan was built for A [{string.Join(", ", model.InputShape)}] and B [{string.Join(", ", model.EventShape)}]; " +
                $"the batch has [{string.Join(", ", a.shape.Skip(1))}] and [{string.Join(", ", b.shape.Skip(1))}].");
        using var scope = NewDisposeScope();
        model.train();
        double rate = LearningRate;
        foreach (Player player in game.Players) player.Optimizer.LearningRate = rate;
        Tensor realA = a.to(model.Device) * 2 - 1, realB = b.to(model.Device) * 2 - 1;
        Tensor fakeB = model.Generate(realA, TranslationDirection.AToB), fakeA = model.Generate(realB, TranslationDirection.BToA);   // with their graphs
        round = new Round(realA, realB, fakeA, fakeB);
        try
        {
            var metrics = new Dictionary<string, double>(game.Step(batch, generator)) { ["lr"] = rate };
            return metrics;
        }
        finally
        {
            round = null;
        }
    }

    /// <summary>G and F: fool both critics, close the kept cycles, and (identity weight above 0) leave the target domain alone.</summary>
    private PlayerMove GeneratorMove(Batch batch, Generator generator)
    {
        Round r = round ?? throw new InvalidOperationException("a cyclegan move outside a round.");
        CycleGanOptions o = model.Options;
        Tensor ganB = CycleGanLosses.Generator(model.Discriminate(r.FakeB, domainA: false));
        Tensor ganA = CycleGanLosses.Generator(model.Discriminate(r.FakeA, domainA: true));
        Tensor loss = ganA + ganB;
        var metrics = new Dictionary<string, double> { ["g_gan_a"] = ganA.item<float>(), ["g_gan_b"] = ganB.item<float>() };
        if (o.Cycle is CycleLoss.Both or CycleLoss.Forward && o.CycleWeight > 0)
        {
            Tensor forward = CycleGanLosses.L1(model.Generate(r.FakeB, TranslationDirection.BToA), r.A);     // |F(G(a)) - a|
            loss = loss + o.CycleWeight * forward;
            metrics["cycle_a"] = forward.item<float>();
        }
        if (o.Cycle is CycleLoss.Both or CycleLoss.Backward && o.CycleWeight > 0)
        {
            Tensor backward = CycleGanLosses.L1(model.Generate(r.FakeA, TranslationDirection.AToB), r.B);    // |G(F(b)) - b|
            loss = loss + o.CycleWeight * backward;
            metrics["cycle_b"] = backward.item<float>();
        }
        if (o.IdentityWeight > 0 && o.CycleWeight > 0)
        {
            Tensor identity = CycleGanLosses.L1(model.Generate(r.B, TranslationDirection.AToB), r.B)         // |G(b) - b|
                + CycleGanLosses.L1(model.Generate(r.A, TranslationDirection.BToA), r.A);                   // |F(a) - a|
            loss = loss + o.IdentityWeight * o.CycleWeight * identity;
            metrics["identity"] = identity.item<float>();
        }
        return new PlayerMove(loss, metrics);
    }

    /// <summary>D_A (real A against pooled F(b)) or D_B (real B against pooled G(a)).</summary>
    private PlayerMove CriticMove(bool domainA, Generator generator)
    {
        Round r = round ?? throw new InvalidOperationException("a cyclegan move outside a round.");
        Tensor fake = (domainA ? poolA : poolB).Query(domainA ? r.FakeA : r.FakeB, generator);       // detached, [B, C, S, S]
        Tensor real = model.Discriminate(domainA ? r.A : r.B, domainA), scored = model.Discriminate(fake, domainA);
        string name = domainA ? "d_a" : "d_b";
        return new PlayerMove(CycleGanLosses.Critic(real, scored), new Dictionary<string, double>
        {
            [$"{name}_real"] = real.mean().item<float>(),
            [$"{name}_fake"] = scored.mean().item<float>(),
        });
    }

    public void SaveState(IDictionary<string, Tensor> state)
    {
        game.SaveState(state);
        poolA.SaveState(state);
        poolB.SaveState(state);
    }

    public void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        game.LoadState(state);
        poolA.LoadState(state);
        poolB.LoadState(state);
    }

    public void Dispose()
    {
        game.Dispose();
        poolA.Dispose();
        poolB.Dispose();
    }

    private sealed record Round(Tensor A, Tensor B, Tensor FakeA, Tensor FakeB);
}
