using GenerativeSharp.Data;
using GenerativeSharp.Evaluation.Translation;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Translation;
using GenerativeSharp.Recipes;
using GenerativeSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Models.Translation;

public sealed class Pix2PixTests
{
    /// <summary>Builds under the global-random lock with a fixed seed: test classes run in parallel with seeded CLI runs that build models too.</summary>
    private static Pix2Pix Build(Pix2PixOptions options)
    {
        lock (GenerativeSharp.Runtime.GlobalRandom.Lock)
        {
            manual_seed(7);
            return new Pix2Pix(options);
        }
    }

    private static Pix2PixOptions Options(long channels, long side, int width = 8, int layers = 2) => new()
    {
        InputShape = [channels, side, side], TargetShape = [channels, side, side], GeneratorWidth = width, DiscriminatorWidth = width,
        DiscriminatorLayers = layers,
    };

    /// <summary>Pairs of [3, S, S] images in [0, 1]: a bright square on a dark ground (input) and its colour-inverted, shifted copy (target).</summary>
    internal static (Tensor Inputs, Tensor Targets) Pairs(int count, long side, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var scope = NewDisposeScope();
        Tensor inputs = rand([count, 3, side, side], generator: generator) * 0.2;
        for (int n = 0; n < count; n++)
        {
            long at = 4 + n % 5, size = side / 3;
            inputs[n, TensorIndex.Colon, TensorIndex.Slice(at, at + size), TensorIndex.Slice(at, at + size)] = tensor(0.9f);
        }
        Tensor targets = (1 - inputs).roll(2, 3);
        return (inputs.MoveToOuterDisposeScope(), targets.MoveToOuterDisposeScope());
    }

    [Theory]
    [InlineData(32, 5)]
    [InlineData(64, 6)]
    [InlineData(28, 5)]                                                                                // padded to 32, cropped back
    [InlineData(12, 4)]                                                                                // padded to 16
    public void The_unet_halves_the_side_down_to_one_and_translates_one_output_per_input(long side, int depth)
    {
        using var model = Build(Options(3, side));
        Assert.Equal(depth, model.Options.Depth);
        var (inputs, targets) = Pairs(2, side, 1);
        using (inputs)
        using (targets)
        {
            using var g = new Generator(4);
            using Tensor y = model.Translate(inputs, g);
            Assert.Equal(new long[] { 2, 3, side, side }, y.shape);
            Assert.True(y.min().item<float>() >= 0 && y.max().item<float>() <= 1);
            Assert.Equal(ContextKind.PairedImage, model.Context);
            Assert.Throws<InvalidInputException>(() => model.Sample(3));
        }
    }

    [Theory]
    [InlineData(8)]
    [InlineData(300)]
    public void A_side_outside_9_to_256_is_refused_in_one_line(long side)
    {
        var refused = Assert.Throws<InvalidInputException>(() => Options(1, side).Validate());
        Assert.Contains("side from 9 to 256", refused.Message);
    }

    [Fact]
    public void The_output_depends_on_the_input_at_full_resolution_through_the_skips()
    {
        using var model = Build(Options(3, 32) with { DropoutBlocks = 0 });
        using var scope = NewDisposeScope();
        var (inputs, _) = Pairs(1, 32, 2);
        Tensor nudged = inputs.clone();
        nudged[0, 0, 17, 9] = tensor(1f);
        Tensor change = (model.Translate(nudged) - model.Translate(inputs)).abs().sum(1)[0];          // [32, 32]
        Assert.True(change[17, 9].item<float>() > 0, "the nudged pixel's own output did not change");
        // The first encoder layer and the last decoder layer (4x4, stride 2) reach 2 pixels: the change stays within a few
        // pixels of the nudge but is biggest there, which only the full-resolution skip can carry.
        Tensor far = change.clone();
        far[TensorIndex.Slice(13, 22), TensorIndex.Slice(5, 14)] = tensor(0f);
        Assert.True(change[TensorIndex.Slice(15, 20), TensorIndex.Slice(7, 12)].max().item<float>() > 10 * far.max().item<float>() + 1e-7,
            "the output changed as much far from the nudged pixel as near it");
    }

    [Fact]
    public void A_few_steps_on_one_pair_bring_its_l1_well_below_the_identitys()
    {
        using var model = Build(Options(3, 32, width: 16));
        using var step = new Pix2PixStep(model, 2e-3);
        var (inputs, targets) = Pairs(1, 32, 3);
        using (inputs)
        using (targets)
        {
            using var generator = new Generator(5);
            for (int i = 0; i < 60; i++)
                using (NewDisposeScope()) step.Step(new Batch(inputs, null, targets), generator);
            using var scope = NewDisposeScope();
            double identity = ImageSimilarity.MeanAbsoluteError(inputs, targets).item<double>();
            double translated = ImageSimilarity.MeanAbsoluteError(model.Translate(inputs, generator), targets).item<double>();
            Assert.True(translated < identity / 3, $"L1 after 60 steps {translated:F4}, identity {identity:F4}");
        }
    }

    [Theory]
    [InlineData(32, 2, 16)]
    [InlineData(64, 3, 34)]
    public void The_patchgan_sees_exactly_its_stated_receptive_field(long side, int layers, int field)
    {
        using var model = Build(Options(3, side, layers: layers));
        Assert.Equal(field, model.ReceptiveField);
        model.DiscriminatorNetwork.eval();                                                  // batch norm by running statistics: patches are independent
        using var scope = NewDisposeScope();
        Tensor x = rand(1, 3, side, side).requires_grad_(true), y = rand(1, 3, side, side).requires_grad_(true);
        Tensor logits = model.Discriminator(x, y);                                             // [1, 1, P, P]
        long p = logits.shape[2] / 2;
        logits[0, 0, p, p].backward();
        foreach (Tensor input in new[] { x, y })
        {
            Tensor touched = input.grad!.abs().sum([0, 1]).gt(0);                              // [S, S]
            Assert.Equal(field, touched.any(1).sum().item<long>());                            // rows
            Assert.Equal(field, touched.any(0).sum().item<long>());                            // columns
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_translation_and_dropout_noise_varies_with_it()
    {
        using var model = Build(Options(3, 32));
        using var scope = NewDisposeScope();
        var (inputs, _) = Pairs(2, 32, 6);
        Tensor Run(ulong seed)
        {
            using var g = new Generator(seed);
            return model.Translate(inputs, g);
        }
        Assert.True(Run(1).equal(Run(1)).all().item<bool>());
        Assert.False(Run(1).equal(Run(2)).all().item<bool>(), "dropout noise, kept on at test time, should depend on the generator");
    }

    [Fact]
    public void Save_then_load_rebuilds_a_model_with_identical_translations()
    {
        IModelRecipe recipe = ModelCatalog.Get("pix2pix");
        var data = DataDescription.Images([3, 32, 32]) with { TargetShape = [3, 32, 32] };
        string options = recipe.ConfigureOptions(data, new Dictionary<string, string> { ["ngf"] = "8", ["ndf"] = "8" });
        using var directory = new TempDirectory();
        using var model = ModelInstance.Create(recipe, options, 3, CPU);
        ITrainingStep step = recipe.CreateStep(model.Module, 2e-4);
        var (inputs, targets) = Pairs(4, 32, 7);
        using var generator = new Generator(2);
        using (NewDisposeScope()) step.Step(new Batch(inputs, null, targets), generator);
        var state = new TrainingState("pairs", BinarizationMode.None, 3, 4, 2e-4, 1, 2, 1);
        Checkpoint.Save(directory.Path, model, state, step, generator);
        using LoadedCheckpoint loaded = Checkpoint.Load(directory.Path, CPU);
        using var scope = NewDisposeScope();
        using var g1 = new Generator(9);
        using var g2 = new Generator(9);
        Tensor before = ((Pix2Pix)model.Module).Translate(inputs, g1), after = ((Pix2Pix)loaded.Model.Module).Translate(inputs, g2);
        Assert.True(before.equal(after).all().item<bool>());
        (step as IDisposable)?.Dispose();
        inputs.Dispose();
        targets.Dispose();
    }

    [Fact]
    public void A_training_step_and_a_translation_leave_no_live_tensors()
    {
        using var model = Build(Options(3, 32));
        using var step = new Pix2PixStep(model, 2e-4);
        var (inputs, targets) = Pairs(2, 32, 8);
        using (inputs)
        using (targets)
        {
            using var generator = new Generator(1);
            using (NewDisposeScope()) step.Step(new Batch(inputs, null, targets), generator);   // the first step creates Adam's moments
            DisposeScopeManager.Statistics.Reset();
            using (NewDisposeScope()) step.Step(new Batch(inputs, null, targets), generator);
            using (NewDisposeScope()) model.Translate(inputs, generator);
            using (NewDisposeScope()) TranslationEvaluation.Translate(model, inputs, 0, CPU);
            Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }
    }

    [Fact]
    public void A_batch_without_targets_is_refused_in_one_line()
    {
        using var model = Build(Options(3, 32));
        using var step = new Pix2PixStep(model, 2e-4);
        var (inputs, targets) = Pairs(2, 32, 8);
        using (inputs)
        using (targets)
        {
            using var generator = new Generator(1);
            var e = Assert.Throws<InvalidInputException>(() => step.Step(new Batch(inputs), generator));
            Assert.Contains("not paired", e.Message);
        }
    }
}
