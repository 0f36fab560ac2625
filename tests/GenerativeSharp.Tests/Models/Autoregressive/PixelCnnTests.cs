using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Autoregressive;
using GenerativeSharp.Models.Autoregressive.Pixels;
using GenerativeSharp.Recipes;
using GenerativeSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Models.Autoregressive;

/// <summary>Contract tests of both PixelCNN stacks: causality, normalisation, sampling, completion, persistence.</summary>
public sealed class PixelCnnTests
{
    private static readonly long[] Image = [1, SyntheticImages.Size, SyntheticImages.Size];

    private static (string, string)[] Small(string name, params (string, string)[] extra) =>
        [.. (name == "pixelcnn" ? new[] { ("channels", "4"), ("blocks", "2") } : [("channels", "6"), ("layers", "3")]), .. extra];

    private static ModelInstance Build(string name, long[] eventShape, long seed = 0, params (string Key, string Value)[] settings)
    {
        IModelRecipe recipe = ModelCatalog.Get(name);
        string options = recipe.ConfigureOptions(DataDescription.FromShape(eventShape), settings.ToDictionary(s => s.Key, s => s.Value));
        return ModelInstance.Create(recipe, options, seed, CPU);
    }

    /// <summary>d parameter(pixel i) / d x_j for a [1, 1, H, W] input (first parameter per pixel): [D (i), D (j)].</summary>
    private static double[,] Jacobian(PixelAutoregressiveModel model, long[] shape, Tensor? labels = null)
    {
        int d = (int)(shape[1] * shape[2]);
        var jacobian = new double[d, d];
        using var generator = new Generator(5);
        using var x0 = rand([1, .. shape], generator: generator);
        for (int i = 0; i < d; i++)
        {
            using var scope = NewDisposeScope();
            Tensor x = x0.clone().requires_grad_(true);
            model.PixelParameters(x, labels).select(1, 0).flatten()[i].backward();
            float[] row = x.grad!.flatten().data<float>().ToArray();
            for (int j = 0; j < d; j++) jacobian[i, j] = row[j];
        }
        return jacobian;
    }

    [Theory]
    [InlineData("pixelcnn", "bernoulli")]
    [InlineData("pixelcnn", "softmax256")]
    [InlineData("gated-pixelcnn", "bernoulli")]
    [InlineData("gated-pixelcnn", "logisticmixture")]
    public void Pixel_parameters_depend_only_on_earlier_pixels_in_raster_order(string name, string likelihood)
    {
        long[] shape = [1, 5, 6];
        using var model = Build(name, shape, seed: 2, Small(name, ("likelihood", likelihood)));
        double[,] jacobian = Jacobian((PixelAutoregressiveModel)model.Module, shape);
        int dependencies = 0;
        for (int i = 0; i < 30; i++)
            for (int j = 0; j < 30; j++)
            {
                if (j >= i) Assert.True(jacobian[i, j] == 0, $"pixel {i} depends on x_{j}, which is not before it ({jacobian[i, j]})");
                else if (jacobian[i, j] != 0) dependencies++;
            }
        Assert.True(dependencies > 0, "parameters should depend on earlier pixels");
    }

    [Fact]
    public void With_a_category_embedding_each_pixel_sees_exactly_the_categories_before_it()
    {
        using var model = new GatedPixelCnn(new GatedPixelCnnOptions
        {
            EventShape = [1, 5, 6], Channels = 6, Layers = 3, Likelihood = PixelLikelihoodKind.Softmax256, CategoryEmbedding = 16,
        });
        using var scope = NewDisposeScope();
        using var generator = new Generator(4);
        Tensor codes = randint(0, 16, [1, 1, 5, 6], generator: generator).to(ScalarType.Float32);   // category k as the level k / 255
        Tensor Parameters(Tensor c) { using var _ = no_grad(); return model.PixelParameters(c / 255).flatten(2).squeeze(0); }   // [P, 30]
        Tensor reference = Parameters(codes);
        for (int j = 0; j < 30; j++)
        {
            Tensor changed = codes.clone();
            changed.view(-1)[j] = (changed.view(-1)[j] + 7) % 16;              // another category at pixel j
            Tensor moved = (Parameters(changed) - reference).abs().amax(0);     // [30]: how much each pixel's parameters moved
            for (int i = 0; i <= j; i++) Assert.True(moved[i].item<float>() == 0, $"pixel {i} depends on the category at {j}");
            if (j < 29) Assert.True(moved[j + 1].item<float>() > 0, $"pixel {j + 1} does not see the category just before it");
        }
        Assert.Throws<InvalidInputException>(() => new GatedPixelCnnOptions { Likelihood = PixelLikelihoodKind.Bernoulli, CategoryEmbedding = 4 }.Validate());
    }

    [Fact]
    public void Gated_pixelcnn_has_no_blind_spot_and_stays_causal_when_conditioned_on_a_class()
    {
        long[] shape = [1, 5, 6];
        using var model = Build("gated-pixelcnn", shape, seed: 3, Small("gated-pixelcnn", ("classes", "3")));
        var gated = (GatedPixelCnn)model.Module;
        using (no_grad())
            foreach (var p in gated.named_parameters().Where(p => p.name.Contains("classBias"))) p.parameter.normal_();
        using var label = tensor(new long[] { 2 });
        double[,] jacobian = Jacobian(gated, shape, label);
        for (int i = 0; i < 30; i++)
            for (int j = 0; j < 30; j++)
            {
                if (j >= i) Assert.True(jacobian[i, j] == 0, $"pixel {i} depends on x_{j}, which is not before it");
                else Assert.True(jacobian[i, j] != 0, $"pixel {i} does not see x_{j}: a blind spot");
            }
    }

    [Theory]
    [InlineData("pixelcnn", null)]
    [InlineData("gated-pixelcnn", null)]
    [InlineData("gated-pixelcnn", 1L)]
    [InlineData("gated-pixelcnn", -1L)]      // conditional model, marginal over the uniform class prior
    public void Probabilities_of_all_binary_images_sum_to_one(string name, long? label)
    {
        long[] shape = [1, 2, 5];
        using var model = Build(name, shape, seed: 3, Small(name, label is null ? [] : [("classes", "2")]));
        if (label == -1)
            foreach (var p in model.Module.named_parameters().Where(p => p.name.Contains("classBias")))
                using (no_grad()) p.parameter.normal_();
        model.Module.to(ScalarType.Float64);
        var bits = new double[1024 * 10];
        for (int n = 0; n < 1024; n++)
            for (int j = 0; j < 10; j++)
                bits[n * 10 + j] = (n >> j) & 1;
        using var all = tensor(bits, new long[] { 1024, 1, 2, 5 });
        using var labels = label is long l && l >= 0 ? full(1024, l, ScalarType.Int64) : null;
        using var noGrad = no_grad();
        var pixel = (PixelAutoregressiveModel)model.Module;
        double total = (labels is null ? pixel.LogProb(all) : pixel.LogProb(all, labels)).logsumexp(0).exp().item<double>();
        Assert.True(Math.Abs(total - 1) < 1e-6, $"sum of p(x) over 2^10 images is {total}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void The_discretized_logistic_mixture_puts_mass_one_on_the_256_levels(int mixtures)
    {
        var likelihood = new LogisticMixturePixels(mixtures);
        using var scope = NewDisposeScope();
        using var generator = new Generator(7);
        Tensor one = randn([1, 3 * mixtures, 1, 1], dtype: ScalarType.Float64, generator: generator);
        Tensor parameters = one.expand(256, -1, -1, -1);                                   // the same pixel, every level
        Tensor levels = arange(256, dtype: ScalarType.Float64).div(255).view(256, 1, 1, 1);
        double total = likelihood.LogProb(parameters, levels).exp().sum().item<double>();
        Assert.True(Math.Abs(total - 1) < 1e-4, $"the 256 level masses sum to {total}");
    }

    [Theory]
    [InlineData("pixelcnn")]
    [InlineData("gated-pixelcnn")]
    public void Training_lowers_the_test_nll(string name)
    {
        using var model = Build(name, Image, seed: 1, name == "pixelcnn" ? [("channels", "8"), ("blocks", "2")] : [("channels", "8"), ("layers", "4")]);
        DensityTrainingCheck.LowersTestNll(model, 1e-2, steps: 40, fraction: 0.7);
    }

    [Theory]
    [InlineData("pixelcnn", "bernoulli")]
    [InlineData("gated-pixelcnn", "bernoulli")]
    [InlineData("gated-pixelcnn", "softmax256")]
    [InlineData("gated-pixelcnn", "logisticmixture")]
    public void Samples_hold_valid_pixel_values_and_repeat_from_the_seed(string name, string likelihood)
    {
        using var model = Build(name, [1, 6, 5], settings: Small(name, ("likelihood", likelihood)));
        using var g1 = new Generator(4);
        using var g2 = new Generator(4);
        using var first = model.Model.Sample(3, g1);
        using var second = model.Model.Sample(3, g2);
        Assert.Equal(new long[] { 3, 1, 6, 5 }, first.shape);
        Assert.True(first.equal(second).all().item<bool>());
        using var levels = first.mul(255);
        Assert.True(levels.sub(levels.round()).abs().max().item<float>() < 1e-3, "pixels must be k/255");
        if (likelihood == "bernoulli") Assert.True(first.eq(0).logical_or(first.eq(1)).all().item<bool>());
    }

    [Fact]
    public void Conditional_sampling_draws_one_image_per_label_and_refuses_bad_labels()
    {
        using var model = Build("gated-pixelcnn", [1, 4, 4], settings: Small("gated-pixelcnn", ("classes", "3")));
        var gated = (GatedPixelCnn)model.Module;
        using var labels = tensor(new long[] { 0, 1, 2, 2 });
        using var generator = new Generator(1);
        using var images = gated.Sample(labels, generator);
        Assert.Equal(new long[] { 4, 1, 4, 4 }, images.shape);
        using var bad = tensor(new long[] { 3 });
        Assert.Throws<InvalidInputException>(() => gated.Sample(bad, generator));
        Assert.Throws<InvalidInputException>(() => gated.LogProb(images, null));
    }

    [Theory]
    [InlineData("pixelcnn")]
    [InlineData("gated-pixelcnn")]
    public void Completion_keeps_every_known_pixel(string name)
    {
        using var model = Build(name, Image, settings: Small(name));
        var completion = (ICompletionModel)model.Module;
        using var generator = new Generator(3);
        using var images = SyntheticImages.Make(4, 5).bernoulli(generator);
        using var known = ones_like(images);
        known.narrow(2, 6, 6).zero_();                                          // lower half missing
        known[0, 0, 2, 3] = tensor(0f);                                         // and one pixel above it in the first image
        using var g1 = new Generator(8);
        using var g2 = new Generator(8);
        using var filled = completion.Complete(images, known, g1);
        Assert.True(filled.masked_select(known.eq(1)).equal(images.masked_select(known.eq(1))).all().item<bool>());
        Assert.True(filled.eq(0).logical_or(filled.eq(1)).all().item<bool>());
        using var again = completion.Complete(images, known, g2);
        Assert.True(again.equal(filled).all().item<bool>(), "the same seed gives the same completion");
    }

    [Theory]
    [InlineData("pixelcnn")]
    [InlineData("gated-pixelcnn")]
    public void Save_then_load_gives_identical_log_probabilities(string name)
    {
        using var directory = new TempDirectory();
        using var model = Build(name, Image, settings: Small(name, ("likelihood", "logisticmixture"), ("mixtures", "2")));
        ITrainingStep step = model.Recipe.CreateStep(model.Module, 1e-2);
        using var generator = new Generator(2);
        using var x = SyntheticImages.Make(8, 4).mul(255).round().div(255);
        for (int i = 0; i < 2; i++)
            using (NewDisposeScope()) step.Step(new Batch(x), generator);
        var state = new TrainingState("synthetic", BinarizationMode.None, 0, 8, 1e-2, 2, 16, 3);
        Checkpoint.Save(directory.Path, model, state, step: null, generator: null);
        using LoadedCheckpoint loaded = Checkpoint.Load(directory.Path, CPU);
        using var rebuilt = loaded.Model;
        using var noGrad = no_grad();
        Assert.True(((IDensityModel)model.Module).LogProb(x).equal(((IDensityModel)rebuilt.Module).LogProb(x)).all().item<bool>());
    }

    [Theory]
    [InlineData("pixelcnn")]
    [InlineData("gated-pixelcnn")]
    public void Training_sampling_and_completion_leave_no_live_tensors(string name)
    {
        using var model = Build(name, [1, 6, 6], settings: Small(name));
        ITrainingStep step = model.Recipe.CreateStep(model.Module, 1e-3);
        using var generator = new Generator(1);
        using var batch = rand(8, 1, 6, 6, generator: generator).round();
        using var known = ones_like(batch);
        known.narrow(2, 3, 3).zero_();
        using (NewDisposeScope()) step.Step(new Batch(batch), generator);   // the first step creates Adam's moments
        DisposeScopeManager.Statistics.Reset();
        using (NewDisposeScope()) step.Step(new Batch(batch), generator);
        using (NewDisposeScope()) model.Model.Sample(2, generator);
        using (NewDisposeScope()) ((ICompletionModel)model.Module).Complete(batch, known, generator);
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Theory]
    [InlineData("bernoulli", BinarizationMode.Dynamic)]
    [InlineData("softmax256", BinarizationMode.None)]
    [InlineData("logisticmixture", BinarizationMode.None)]
    public void Eight_bit_likelihoods_train_on_unbinarized_pixels_by_default(string likelihood, BinarizationMode expected)
    {
        IModelRecipe recipe = ModelCatalog.Get("gated-pixelcnn");
        string options = recipe.ConfigureOptions(DataDescription.FromShape(Image), new Dictionary<string, string> { ["likelihood"] = likelihood });
        Assert.Equal(expected, recipe.DefaultBinarization(options, DataDescription.FromShape(Image)));
    }
}
