using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Autoregressive;
using GenerativeSharp.Recipes;
using GenerativeSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Models.Autoregressive;

public sealed class AutoregressiveTests
{
    private static readonly long[] Image = [1, SyntheticImages.Size, SyntheticImages.Size];

    private static ModelInstance Build(string name, long[] eventShape, long seed = 0, params (string Key, string Value)[] settings)
    {
        IModelRecipe recipe = ModelCatalog.Get(name);
        string options = recipe.ConfigureOptions(DataDescription.FromShape(eventShape), settings.ToDictionary(s => s.Key, s => s.Value));
        return ModelInstance.Create(recipe, options, seed, CPU);
    }

    /// <summary>d logit_i / d x_j for a [1, ...event] input: [D (i), D (j)].</summary>
    private static double[,] Jacobian(Func<Tensor, Tensor> logits, long[] eventShape, long seed)
    {
        int d = (int)eventShape.Aggregate(1L, (a, b) => a * b);
        var jacobian = new double[d, d];
        using var generator = new Generator((ulong)seed);
        using var x0 = rand([1, .. eventShape], generator: generator);
        for (int i = 0; i < d; i++)
        {
            using var scope = NewDisposeScope();
            Tensor x = x0.clone().requires_grad_(true);
            logits(x).flatten()[i].backward();
            float[] row = x.grad!.flatten().data<float>().ToArray();
            for (int j = 0; j < d; j++) jacobian[i, j] = row[j];
        }
        return jacobian;
    }

    private static void AssertAutoregressive(double[,] jacobian, int[] ordering)
    {
        int d = ordering.Length;
        var position = new int[d];
        for (int p = 0; p < d; p++) position[ordering[p]] = p;
        int dependencies = 0;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                if (position[j] >= position[i])
                    Assert.True(jacobian[i, j] == 0, $"logit {i} depends on x_{j}, which is not before it (d = {jacobian[i, j]})");
                else if (jacobian[i, j] != 0)
                    dependencies++;
            }
        Assert.True(dependencies > 0, "the logits should depend on earlier pixels");
    }

    [Fact]
    public void Made_logits_depend_only_on_earlier_pixels_under_every_mask()
    {
        long[] shape = [1, 3, 4];
        using var model = Build("made", shape, settings: [("hidden", "32"), ("depth", "2"), ("masks", "3"), ("mask_seed", "7")]);
        var made = (Made)model.Module;
        Assert.Equal(Enumerable.Range(0, 12), made.Ordering(0));
        Assert.False(made.Ordering(1).SequenceEqual(made.Ordering(0)));
        for (int m = 0; m < 3; m++)
            AssertAutoregressive(Jacobian(x => made.Logits(x, m), shape, seed: m), made.Ordering(m));
    }

    [Fact]
    public void Nade_logits_depend_on_exactly_the_earlier_pixels()
    {
        long[] shape = [1, 3, 4];
        using var model = Build("nade", shape, settings: [("hidden", "16")]);
        var nade = (Nade)model.Module;
        double[,] jacobian = Jacobian(nade.Logits, shape, seed: 1);
        AssertAutoregressive(jacobian, Enumerable.Range(0, 12).ToArray());
        for (int i = 0; i < 12; i++)
            for (int j = 0; j < i; j++)
                Assert.True(jacobian[i, j] != 0, $"NADE logit {i} should depend on x_{j}");
    }

    [Theory]
    [InlineData("nade", 1)]
    [InlineData("made", 1)]
    [InlineData("made", 4)]
    public void Probabilities_of_all_binary_images_sum_to_one(string name, int masks)
    {
        long[] shape = [1, 2, 5];
        (string, string)[] settings = name == "made" ? [("hidden", "24"), ("depth", "2"), ("masks", masks.ToString())] : [("hidden", "24")];
        using var model = Build(name, shape, seed: 3, settings);
        model.Module.to(ScalarType.Float64);
        var bits = new double[1024 * 10];
        for (int n = 0; n < 1024; n++)
            for (int j = 0; j < 10; j++)
                bits[n * 10 + j] = (n >> j) & 1;
        using var all = tensor(bits, new long[] { 1024, 1, 2, 5 });
        using var noGrad = no_grad();
        var density = (IDensityModel)model.Module;
        double total = density.LogProb(all).logsumexp(0).exp().item<double>();
        Assert.True(Math.Abs(total - 1) < 1e-5, $"sum of p(x) over 2^10 images is {total}");
        if (model.Module is Made made)
        {
            double single = made.LogProbUnderMask(all, 0).logsumexp(0).exp().item<double>();
            Assert.True(Math.Abs(single - 1) < 1e-5, $"sum under mask 0 is {single}");
        }
    }

    [Theory]
    [InlineData("nade")]
    [InlineData("made")]
    public void Training_lowers_the_test_nll(string name)
    {
        (string, string)[] settings = name == "made" ? [("hidden", "128"), ("masks", "2")] : [("hidden", "64")];
        using var model = Build(name, Image, seed: 1, settings);
        DensityTrainingCheck.LowersTestNll(model, 5e-3, steps: 80, fraction: 0.8);
    }

    [Theory]
    [InlineData("nade")]
    [InlineData("made")]
    public void Samples_are_binary_images_reproducible_from_the_seed(string name)
    {
        using var model = Build(name, Image, settings: [("hidden", "16")]);
        using var g1 = new Generator(4);
        using var g2 = new Generator(4);
        using var first = model.Model.Sample(3, g1);
        using var second = model.Model.Sample(3, g2);
        Assert.Equal(new long[] { 3, 1, 12, 12 }, first.shape);
        Assert.True(first.eq(0).logical_or(first.eq(1)).all().item<bool>());
        Assert.True(first.equal(second).all().item<bool>());
    }

    [Theory]
    [InlineData("nade")]
    [InlineData("made")]
    public void Save_then_load_gives_identical_log_probabilities(string name)
    {
        using var directory = new TempDirectory();
        using var model = Build(name, Image, settings: name == "made" ? [("hidden", "16"), ("masks", "3")] : [("hidden", "16")]);
        ITrainingStep step = model.Recipe.CreateStep(model.Module, 1e-2);
        using var generator = new Generator(2);
        using var x = SyntheticImages.Make(8, 4).bernoulli(generator);
        for (int i = 0; i < 2; i++)
            using (NewDisposeScope()) step.Step(new Batch(x), generator);
        var state = new TrainingState("synthetic", BinarizationMode.Dynamic, 0, 8, 1e-2, 2, 16, 3);
        Checkpoint.Save(directory.Path, model, state, step: null, generator: null);
        using LoadedCheckpoint loaded = Checkpoint.Load(directory.Path, CPU);
        using var rebuilt = loaded.Model;
        using var noGrad = no_grad();
        var original = (IDensityModel)model.Module;
        var copy = (IDensityModel)rebuilt.Module;
        Assert.True(original.LogProb(x).equal(copy.LogProb(x)).all().item<bool>());
        if (model.Module is Made made)
            Assert.Equal(made.TrainingMask, ((Made)rebuilt.Module).TrainingMask);
    }

    [Theory]
    [InlineData("nade")]
    [InlineData("made")]
    public void A_training_step_leaves_no_live_tensors(string name)
    {
        using var model = Build(name, Image, settings: [("hidden", "32")]);
        ITrainingStep step = model.Recipe.CreateStep(model.Module, 1e-3);
        using var generator = new Generator(1);
        using var batch = SyntheticImages.Make(32, 1).bernoulli(generator);
        using (NewDisposeScope()) step.Step(new Batch(batch), generator);   // the first step creates Adam's moments
        DisposeScopeManager.Statistics.Reset();
        using (NewDisposeScope()) step.Step(new Batch(batch), generator);
        using (NewDisposeScope()) model.Model.Sample(2, generator);
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Theory]
    [InlineData("nade")]
    [InlineData("made")]
    public void Two_dimensional_points_are_refused(string name)
    {
        var e = Assert.Throws<InvalidInputException>(() =>
            ModelCatalog.Get(name).ConfigureOptions(DataDescription.FromShape([2]), new Dictionary<string, string>()));
        Assert.Contains("grey-scale images", e.Message);
    }
}
