using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Translation;
using GenerativeSharp.Recipes;
using GenerativeSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Models.Translation;

public sealed class CycleGanTests
{
    private static CycleGanOptions Options(long side, int width = 4, int blocks = 1, long channelsB = 3) => new()
    {
        InputShape = [3, side, side], TargetShape = [channelsB, side, side], GeneratorWidth = width, DiscriminatorWidth = width,
        ResidualBlocks = blocks, DiscriminatorLayers = 2, PoolSize = 3, IdentityWeight = channelsB == 3 ? 0.5 : 0,
    };

    /// <summary>A model whose initial weights come from the global generator, seeded under its lock (tests run in parallel).</summary>
    private static CycleGan Build(CycleGanOptions options)
    {
        lock (GenerativeSharp.Runtime.GlobalRandom.Lock)
        {
            manual_seed(1);
            return new CycleGan(options);
        }
    }

    [Fact]
    public void The_cycle_and_identity_losses_are_zero_for_identity_generators()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(1);
        Tensor a = rand([2, 3, 8, 8], generator: generator) * 2 - 1, b = rand([2, 3, 8, 8], generator: generator) * 2 - 1;
        static Tensor Identity(Tensor x) => x.alias();
        Func<Tensor, Tensor> g = Identity, f = Identity;
        Assert.Equal(0.0, CycleGanLosses.L1(f(g(a)), a).item<float>());          // forward cycle
        Assert.Equal(0.0, CycleGanLosses.L1(g(f(b)), b).item<float>());          // backward cycle
        Assert.Equal(0.0, CycleGanLosses.L1(g(b), b).item<float>());             // identity terms
        Assert.Equal(0.0, CycleGanLosses.L1(f(a), a).item<float>());
        Assert.True(CycleGanLosses.L1(a, b).item<float>() > 0.1);
        // Least squares: a perfect critic (1 on real, 0 on fake) has loss 0, and a generator scored 1 has loss 0.
        Assert.Equal(0.0, CycleGanLosses.Critic(ones(2, 1, 3, 3), zeros(2, 1, 3, 3)).item<float>());
        Assert.Equal(0.0, CycleGanLosses.Generator(ones(2, 1, 3, 3)).item<float>());
        Assert.Equal(0.5, CycleGanLosses.Critic(zeros(2, 1, 3, 3), zeros(2, 1, 3, 3)).item<float>(), 6);
    }

    [Fact]
    public void The_history_pool_returns_its_input_while_filling_then_a_stored_image_about_half_the_time()
    {
        using var pool = new ImageHistoryPool(50, "pool");
        using var generator = new Generator(7);
        using var scope = NewDisposeScope();
        for (int i = 0; i < 50; i += 2)
        {
            Tensor images = tensor(new float[] { i, i + 1 }).reshape(2, 1, 1, 1);     // [2, 1, 1, 1], each image its own number
            Assert.True(pool.Query(images, generator).equal(images).all().item<bool>(), "a filling pool returned something else");
        }
        Assert.Equal(50, pool.Stored);
        var seen = new HashSet<float>(Enumerable.Range(0, 50).Select(i => (float)i));
        int swapped = 0, draws = 4000;
        for (int i = 0; i < draws; i++)
        {
            float value = 1000 + i;
            float returned = pool.Query(full([1, 1, 1, 1], value), generator).item<float>();
            if (returned != value)
            {
                swapped++;
                Assert.Contains(returned, seen);                                   // an image stored earlier, and only once
                seen.Remove(returned);
            }
            else continue;
            seen.Add(value);
        }
        double share = (double)swapped / draws;
        Assert.InRange(share, 0.46, 0.54);                                          // 1/2 within about 5 standard errors
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    public void A_step_on_colour_images_trains_all_three_players(long side)
    {
        using var model = Build(Options(side) with { DiscriminatorLayers = side == 32 ? 2 : 3 });
        using var step = new CycleGanStep(model, 2e-4);
        var (a, b) = Pix2PixTests.Pairs(2, side, 1);
        using (a)
        using (b)
        {
            using var generator = new Generator(2);
            IReadOnlyDictionary<string, double> values;
            using (NewDisposeScope()) values = step.Step(new Batch(a, null, b), generator);
            foreach (string key in new[] { "g_loss", "d_a_loss", "d_b_loss", "cycle_a", "cycle_b", "identity", "g_gan_a", "g_gan_b", "loss" })
                Assert.True(values.ContainsKey(key) && double.IsFinite(values[key]), $"{key} at {side}: {string.Join(", ", values)}");
            Assert.Equal(2, step.Pools.A.Stored);
            using var scope = NewDisposeScope();
            Assert.Equal(new long[] { 2, 3, side, side }, model.Translate(a).shape);
            Assert.Equal(new long[] { 2, 3, side, side }, model.Translate(b, TranslationDirection.BToA).shape);
            Tensor y = ((IConditionalSampler)model).Sample(a);
            Assert.True(y.min().item<float>() >= 0 && y.max().item<float>() <= 1);
            Assert.Throws<InvalidInputException>(() => model.Sample(2));
        }
    }

    [Fact]
    public void The_generator_player_moves_g_and_f_together_and_each_critic_moves_only_its_own_network()
    {
        using var model = Build(Options(32));
        using var step = new CycleGanStep(model, 1e-3);
        Assert.Equal(new[] { "g", "d_a", "d_b" }, step.Game.Players.Select(p => p.Name));
        var (a, b) = Pix2PixTests.Pairs(2, 32, 4);
        using (a)
        using (b)
        {
            using var generator = new Generator(3);
            using var scope = NewDisposeScope();
            Tensor Snapshot(IEnumerable<TorchSharp.Modules.Parameter> parameters) => cat(parameters.Select(p => p.detach().flatten()).ToList()).clone();
            Tensor g0 = Snapshot(model.GeneratorParameters), da0 = Snapshot(model.CriticA.parameters()), db0 = Snapshot(model.CriticB.parameters());
            step.Step(new Batch(a, null, b), generator);
            Tensor g1 = Snapshot(model.GeneratorParameters), da1 = Snapshot(model.CriticA.parameters()), db1 = Snapshot(model.CriticB.parameters());
            long generatorCount = model.GeneratorParameters.Sum(p => p.numel());
            Assert.Equal(generatorCount, step.Game["g"].Parameters.Parameters.Sum(p => p.numel()));            // G and F, one player
            Assert.True(g1.ne(g0).to(ScalarType.Float32).mean().item<float>() > 0.5, "most of G's and F's weights should move");
            Assert.True(da1.ne(da0).any().item<bool>() && db1.ne(db0).any().item<bool>(), "both critics should move");
        }
    }

    [Fact]
    public void The_ablation_options_switch_their_terms_off()
    {
        var (a, b) = Pix2PixTests.Pairs(2, 32, 3);
        using (a)
        using (b)
        {
            foreach (var (cycle, expected) in new[] { (CycleLoss.Forward, "cycle_a"), (CycleLoss.Backward, "cycle_b"), (CycleLoss.None, "") })
            {
                using var model = Build(Options(32) with { Cycle = cycle, IdentityWeight = 0, PoolSize = 0 });
                using var step = new CycleGanStep(model, 2e-4);
                using var generator = new Generator(2);
                using var scope = NewDisposeScope();
                var keys = step.Step(new Batch(a, null, b), generator).Keys.Where(k => k.StartsWith("cycle") || k == "identity").ToArray();
                Assert.Equal(expected == "" ? [] : new[] { expected }, keys);
            }
        }
    }

    [Fact]
    public void Grey_a_and_colour_b_translate_both_ways()
    {
        using var model = Build(Options(32) with { InputShape = [1, 32, 32], IdentityWeight = 0 });
        using var scope = NewDisposeScope();
        using var generator = new Generator(5);
        Tensor grey = rand([2, 1, 32, 32], generator: generator), colour = rand([2, 3, 32, 32], generator: generator);
        Assert.Equal(new long[] { 2, 3, 32, 32 }, model.Translate(grey).shape);
        Assert.Equal(new long[] { 2, 1, 32, 32 }, model.Translate(colour, TranslationDirection.BToA).shape);
        Assert.Throws<InvalidInputException>(() => model.Translate(colour));
        Assert.Throws<InvalidInputException>(() => Build(Options(32) with { InputShape = [1, 32, 32], IdentityWeight = 0.5 }));
    }

    [Fact]
    public void Save_load_and_resume_give_identical_translations()
    {
        IModelRecipe recipe = ModelCatalog.Get("cyclegan");
        var data = DataDescription.Images([3, 32, 32]) with { TargetShape = [3, 32, 32] };
        string options = recipe.ConfigureOptions(data, new Dictionary<string, string>
        {
            ["ngf"] = "4", ["ndf"] = "4", ["blocks"] = "1", ["pool"] = "3", ["schedule_steps"] = "4",
        });
        using var directory = new TempDirectory();
        using var model = ModelInstance.Create(recipe, options, 3, CPU);
        var step = (CycleGanStep)recipe.CreateStep(model.Module, 2e-4);
        var (a, b) = Pix2PixTests.Pairs(2, 32, 7);
        using var generator = new Generator(2);
        for (int i = 0; i < 2; i++)
            using (NewDisposeScope()) step.Step(new Batch(a, null, b), generator);        // the pools hold 3 images, one swap possible
        var state = new TrainingState("pairs", BinarizationMode.None, 3, 2, 2e-4, 1, 4, 2);
        Checkpoint.Save(directory.Path, model, state, step, generator);
        using LoadedCheckpoint loaded = Checkpoint.Load(directory.Path, CPU);
        using var resumedModel = loaded.Model;
        var resumed = (CycleGanStep)recipe.CreateStep(resumedModel.Module, 2e-4);
        resumed.LoadState(loaded.TrainerState);
        using var resumedGenerator = new Generator(0);
        Checkpoint.RestoreGenerator(loaded, resumedGenerator);
        var cycle = (CycleGan)model.Module;
        var again = (CycleGan)resumedModel.Module;
        using (var scope = NewDisposeScope())
        {
            Assert.True(cycle.Translate(a).equal(again.Translate(a)).all().item<bool>(), "the loaded model translates differently");
            Assert.True(cycle.Translate(b, TranslationDirection.BToA).equal(again.Translate(b, TranslationDirection.BToA)).all().item<bool>());
        }
        Assert.Equal(step.LearningRate, resumed.LearningRate);
        for (int i = 0; i < 2; i++)
        {
            using (NewDisposeScope()) step.Step(new Batch(a, null, b), generator);
            using (NewDisposeScope()) resumed.Step(new Batch(a, null, b), resumedGenerator);
        }
        Assert.Equal(0.0, resumed.LearningRate);                                          // 4 scheduled rounds: 2 constant, 2 decaying to 0
        using (var scope = NewDisposeScope())
        {
            Assert.True(cycle.Translate(a).equal(again.Translate(a)).all().item<bool>(), "the resumed run diverged from the uninterrupted one");
            Assert.True(cycle.Translate(b, TranslationDirection.BToA).equal(again.Translate(b, TranslationDirection.BToA)).all().item<bool>());
        }
        step.Dispose();
        resumed.Dispose();
        a.Dispose();
        b.Dispose();
    }

    [Fact]
    public void The_trainer_draws_the_b_batch_with_its_own_permutation_never_the_a_batchs_pairs()
    {
        const int count = 16;
        Tensor ids = arange(count, ScalarType.Float32).reshape(count, 1, 1, 1).expand(count, 3, 32, 32) / 100;   // image i is i / 100 everywhere
        var train = new TensorDataset(ids.contiguous(), null, ids.contiguous());                                // B image i is A image i's pair
        var test = new TensorDataset(ids.narrow(0, 0, 2).contiguous(), null, ids.narrow(0, 0, 2).contiguous());
        var description = DataDescription.Images([3, 32, 32]) with { TargetShape = [3, 32, 32] };
        using var data = new DataSplits("pairs", "pairs", description, train, test, toy: null);
        IModelRecipe recipe = ModelCatalog.Get("cyclegan");
        string options = recipe.ConfigureOptions(description, new Dictionary<string, string> { ["ngf"] = "2", ["ndf"] = "2", ["blocks"] = "0" });
        using var model = ModelInstance.Create(recipe, options, 3, CPU);
        var recorder = new RecordingStep(recipe.CreateStep(model.Module, 2e-4));
        using var directory = new TempDirectory();
        var state = new TrainingState("pairs", BinarizationMode.None, 11, 4, 2e-4, StepsPerEpoch: 4, TotalSteps: 4, Step: 0);
        using var generator = new Generator(1);
        new Trainer(new TrainerOptions { OutputDirectory = directory.Path, Progress = ProgressMode.None, LogEvery = 100, SampleCount = 2 })
            .Run(model, recorder, data, state, generator, CPU, CancellationToken.None);
        Assert.Equal(4, recorder.Seen.Count);
        long[] inputOrder = [.. recorder.Seen.SelectMany(s => s.A)], targetOrder = [.. recorder.Seen.SelectMany(s => s.B)];
        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), inputOrder.Order());           // every A once in the epoch
        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), targetOrder.Order());          // every B once, too
        using Tensor expected = Trainer.UnpairedTargetOrder(11, 0, count);
        Assert.Equal(expected.data<long>().ToArray(), targetOrder);                                   // B's own permutation
        Assert.True(inputOrder.Zip(targetOrder).Count(p => p.First == p.Second) <= 3, "the B batches follow the A batches' pairing");
        (recorder.Inner as IDisposable)?.Dispose();
        ids.Dispose();
    }

    [Fact]
    public void A_training_step_and_a_translation_leave_no_live_tensors()
    {
        using var model = Build(Options(32));
        using var step = new CycleGanStep(model, 2e-4);
        var (a, b) = Pix2PixTests.Pairs(2, 32, 8);
        using (a)
        using (b)
        {
            using var generator = new Generator(1);
            for (int i = 0; i < 2; i++)
                using (NewDisposeScope()) step.Step(new Batch(a, null, b), generator);   // Adam's moments, and the pools (3) fill up
            DisposeScopeManager.Statistics.Reset();
            using (NewDisposeScope()) step.Step(new Batch(a, null, b), generator);
            using (NewDisposeScope()) model.Translate(a);
            using (NewDisposeScope()) model.Translate(b, TranslationDirection.BToA);
            using (NewDisposeScope()) model.Reconstruct(a);
            Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }
    }

    /// <summary>Records which A and B images (by their value, image i is i / 100) each step saw.</summary>
    private sealed class RecordingStep(ITrainingStep inner) : ITrainingStep
    {
        public ITrainingStep Inner => inner;

        public List<(long[] A, long[] B)> Seen { get; } = [];

        public IReadOnlyDictionary<string, double> Step(Batch batch, Generator generator)
        {
            static long[] Ids(Tensor images) => [.. images[.., 0, 0, 0].mul(100).round().to(ScalarType.Int64).data<long>()];
            Seen.Add((Ids(batch.Inputs), Ids(batch.Targets!)));
            return inner.Step(batch, generator);
        }

        public void SaveState(IDictionary<string, Tensor> state) => inner.SaveState(state);

        public void LoadState(IReadOnlyDictionary<string, Tensor> state) => inner.LoadState(state);
    }
}
