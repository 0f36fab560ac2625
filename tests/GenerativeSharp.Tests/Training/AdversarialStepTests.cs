using GenerativeSharp.Data;
using GenerativeSharp.Models.Adversarial;
using GenerativeSharp.Recipes;
using GenerativeSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Training;

public sealed class AdversarialStepTests
{
    private static Gan Points(AdversarialOptions? options = null)
    {
        lock (GenerativeSharp.Runtime.GlobalRandom.Lock)
        {
            manual_seed(21);
            return Gan.Create(options ?? new AdversarialOptions
            {
                EventShape = [2], Architecture = GanArchitecture.Mlp, Hidden = 16, Latent = 4, CriticNorm = CriticNormalization.None,
            });
        }
    }

    private static Tensor Copy(Tensor t) { using (no_grad()) return t.clone(); }

    private static bool Same(Tensor a, Tensor b) => a.equal(b).all().item<bool>();

    [Fact]
    public void Phase_one_updates_only_the_critic_and_phase_two_only_the_generator()
    {
        foreach (var loss in Enum.GetValues<AdversarialLoss>())
        {
            using Gan gan = Points();
            using var step = new AdversarialStep(gan, 1e-2);
            using var generator = new Generator(22);
            using Tensor batch = randn([32, 2], generator: generator);
            using Tensor d0 = Copy(step.CriticParameters.Values), g0 = Copy(step.GeneratorParameters.Values);
            using Tensor ema0 = Copy(gan.AverageNetwork.parameters().First());
            using (NewDisposeScope()) step.CriticPhase(batch, generator);
            Assert.False(Same(d0, step.CriticParameters.Values), $"{loss}: D did not move");
            Assert.True(Same(g0, step.GeneratorParameters.Values), $"{loss}: G moved in phase 1");
            using Tensor d1 = Copy(step.CriticParameters.Values);
            using (NewDisposeScope()) step.GeneratorPhase(32, generator);
            Assert.True(Same(d1, step.CriticParameters.Values), $"{loss}: D moved in phase 2");
            Assert.False(Same(g0, step.GeneratorParameters.Values), $"{loss}: G did not move");
            Assert.False(Same(ema0, gan.AverageNetwork.parameters().First()), $"{loss}: the average did not follow G");
        }
    }

    [Fact]
    public void Generator_updates_come_every_n_critic_steps()
    {
        using Gan gan = Points(new AdversarialOptions
        {
            EventShape = [2], Architecture = GanArchitecture.Mlp, Hidden = 8, Latent = 2, CriticNorm = CriticNormalization.None, CriticSteps = 3,
        });
        using var step = new AdversarialStep(gan, 1e-3);
        using var generator = new Generator(23);
        using Tensor batch = randn([16, 2], generator: generator);
        var withG = new List<bool>();
        for (int i = 0; i < 6; i++)
            using (NewDisposeScope()) withG.Add(step.Step(new Batch(batch), generator).ContainsKey("g_loss"));
        Assert.Equal(new[] { false, false, true, false, false, true }, withG);
    }

    [Fact]
    public void Gradient_penalty_is_right_where_the_gradient_norm_is_known()
    {
        using var generator = new Generator(24);
        // f(x) = x . w with |w| = 3: the gradient norm is 3 everywhere, the penalty (3 - 1)^2 = 4,
        // and its gradient with respect to w (through create_graph) is 2 (|w| - 1) w / |w|.
        using Tensor w = tensor(new float[] { 1, 2, 2 }).requires_grad_(true);
        using Tensor real = randn([8, 3], generator: generator), fake = randn([8, 3], generator: generator);
        using (NewDisposeScope())
        {
            Tensor penalty = AdversarialStep.GradientPenalty(x => x.matmul(w), real, fake, generator);
            Assert.Equal(4.0, penalty.item<float>(), 4);
            penalty.backward();
            Assert.True(w.grad!.allclose(w.detach() * (2.0 * 2 / 3), rtol: 1e-5, atol: 1e-6), "penalty gradient");
        }
        // f(x) = |x|^2 / 2: the gradient is x itself; with real = fake the penalty sees points of norm 1, 2 and 3.
        using Tensor points = tensor(new float[] { 1, 0, 0, 0, 2, 0, 0, 0, 3 }, [3, 3]);
        using (NewDisposeScope())
        {
            Tensor penalty = AdversarialStep.GradientPenalty(x => x.square().sum(1) / 2, points, points, generator);
            Assert.Equal((0 + 1 + 4) / 3.0, penalty.item<float>(), 4);
        }
    }

    [Fact]
    public void Steps_leave_no_live_tensors()
    {
        using Gan gan = Points(new AdversarialOptions
        {
            EventShape = [2], Architecture = GanArchitecture.Mlp, Hidden = 8, Latent = 2, CriticNorm = CriticNormalization.None,
            Loss = AdversarialLoss.Wasserstein, GradientPenalty = 1, SpectralNorm = true,
        });
        using var step = new AdversarialStep(gan, 1e-3);
        using var generator = new Generator(25);
        using Tensor batch = randn([16, 2], generator: generator);
        using (NewDisposeScope()) step.Step(new Batch(batch), generator);
        DisposeScopeManager.Statistics.Reset();
        for (int i = 0; i < 5; i++)
            using (NewDisposeScope()) step.Step(new Batch(batch), generator);
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void A_resumed_run_is_bit_identical_to_an_uninterrupted_one()
    {
        IModelRecipe recipe = ModelCatalog.Get("wgan-gp");
        string options = recipe.ConfigureOptions(DataDescription.FromShape([2]),
            new Dictionary<string, string> { ["hidden"] = "16", ["spectral_norm"] = "true", ["n_critic"] = "3" });
        using Tensor data = randn([64, 2], generator: new Generator(26));
        using var directory = new TempDirectory();
        var state = new TrainingState("toy:test", BinarizationMode.None, 0, 16, 1e-3, 4, 20, Step: 0);

        void Run(ModelInstance model, ITrainingStep step, Generator generator, int from, int to)
        {
            for (int i = from; i < to; i++)
                using (NewDisposeScope()) step.Step(new Batch(data.narrow(0, i % 4 * 16, 16)), generator);
        }

        Dictionary<string, Tensor> straight;
        using (ModelInstance model = ModelInstance.Create(recipe, options, 7, CPU))
        using (var generator = new Generator(8))
        {
            var step = recipe.CreateStep(model.Module, 1e-3);
            Run(model, step, generator, 0, 5);
            Checkpoint.Save(directory.Path, model, state with { Step = 5 }, step, generator);
            Run(model, step, generator, 5, 10);
            straight = model.Module.state_dict().ToDictionary(p => p.Key, p => Copy(p.Value));
            ((IDisposable)step).Dispose();
        }
        using (LoadedCheckpoint checkpoint = Checkpoint.Load(directory.Path, CPU))
        using (ModelInstance model = checkpoint.Model)
        using (var generator = new Generator(999))
        {
            var step = recipe.CreateStep(model.Module, 1e-3);
            step.LoadState(checkpoint.TrainerState);
            Checkpoint.RestoreGenerator(checkpoint, generator);
            Run(model, step, generator, 5, 10);
            foreach (var (name, value) in model.Module.state_dict())
                Assert.True(Same(straight[name], value), $"{name} differs after resuming");
            Assert.Contains(straight.Keys, k => k.StartsWith("average.", StringComparison.Ordinal));
            ((IDisposable)step).Dispose();
        }
        foreach (Tensor t in straight.Values) t.Dispose();
    }
}
