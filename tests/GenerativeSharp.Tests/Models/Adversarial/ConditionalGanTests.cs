using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Adversarial;
using GenerativeSharp.Recipes;
using GenerativeSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Models.Adversarial;

public sealed class ConditionalGanTests
{
    private static readonly long[] Image = [1, 12, 12];

    private static ModelInstance Build(params (string Key, string Value)[] settings)
    {
        IModelRecipe recipe = ModelCatalog.Get("cgan");
        string options = recipe.ConfigureOptions(DataDescription.Images(Image, DataDescription.NumberedClasses(10)), settings.ToDictionary(s => s.Key, s => s.Value));
        return ModelInstance.Create(recipe, options, 5, CPU);
    }

    private static Gan Points(int classes) =>
        Gan.Create(new AdversarialOptions
        {
            EventShape = [2], Architecture = GanArchitecture.Mlp, Hidden = 16, Latent = 4, CriticNorm = CriticNormalization.None, Classes = classes,
        });

    [Fact]
    public void The_generator_output_depends_on_the_label()
    {
        foreach (var (arch, shape) in new[] { (GanArchitecture.Conv, Image), (GanArchitecture.Mlp, Image) })
        {
            using var gan = Build(new AdversarialOptions { EventShape = shape, Architecture = arch, Hidden = 8, Latent = 4, Classes = 4 });
            using var generator = new Generator(3);
            using Tensor z = gan.Latents(1, generator).expand(4, -1).contiguous();
            using Tensor labels = arange(4, ScalarType.Int64);
            using Tensor x = gan.Decode(z, labels);                                  // [4, 1, 12, 12]
            for (int i = 1; i < 4; i++)
                Assert.False(x[0].allclose(x[i]), $"{arch}: classes 0 and {i} gave the same image for the same z");
            using Tensor scores = gan.Critic(x, labels);
            Assert.Equal(new long[] { 4 }, scores.shape);
        }
    }

    [Fact]
    public void A_one_hot_class_mixture_decodes_as_that_class_and_a_mixture_lies_between()
    {
        using var gan = (ConditionalGan)Build(new AdversarialOptions { EventShape = Image, Architecture = GanArchitecture.Conv, Hidden = 8, Latent = 4, Classes = 3 });
        using var scope = NewDisposeScope();
        using var generator = new Generator(4);
        Tensor z = gan.Latents(1, generator).expand(3, -1).contiguous();
        Tensor labels = tensor(new long[] { 0, 2, 1 });
        Tensor oneHot = nn.functional.one_hot(labels, 3).to(ScalarType.Float32);
        Assert.True(gan.DecodeClassMix(z, oneHot).allclose(gan.Decode(z, labels), rtol: 1e-5, atol: 1e-6));
        Tensor half = tensor(new float[] { 0.5f, 0, 0.5f }).expand(3, -1);
        Tensor mixed = gan.DecodeClassMix(z, half);
        Assert.False(mixed[0].allclose(gan.Decode(z, labels)[0]), "a half-half mixture should differ from class 0");
        using Gan plain = Points(0);
        Assert.False(plain is IClassMixingDecoder, "an unconditional GAN mixes no classes");
    }

    [Fact]
    public void Sampling_draws_the_given_classes_or_uniform_ones()
    {
        using var gan = (ConditionalGan)Points(3);
        Assert.Equal(3, gan.Classes);
        Assert.Equal(ContextKind.ClassLabel, gan.Context);
        using var g1 = new Generator(4);
        using var g2 = new Generator(4);
        using Tensor labels = full(5, 2L, ScalarType.Int64);
        using Tensor a = gan.SampleClasses(labels, g1), b = gan.SampleClasses(labels, g2);
        Assert.Equal(new long[] { 5, 2 }, a.shape);
        Assert.True(a.equal(b).all().item<bool>());
        using Tensor c = gan.Sample(7, g1);
        Assert.Equal(new long[] { 7, 2 }, c.shape);
        using Gan plain = Points(0);
        Assert.False(plain is IConditionalSampler, "an unconditional GAN is not a conditional sampler");
    }

    [Fact]
    public void Unconditional_gans_keep_their_parameter_names()
    {
        using Gan plain = Points(0);
        Assert.Contains(plain.state_dict().Keys, k => k == "generator.input.weight");
        using Gan conditional = Points(2);
        Assert.Contains(conditional.state_dict().Keys, k => k == "average.embedding.weight");
        Assert.Contains(conditional.state_dict().Keys, k => k == "critic.embedding.weight");
    }

    [Fact]
    public void Cgan_refuses_unlabelled_data_and_defaults_to_the_data_s_classes()
    {
        IModelRecipe recipe = ModelCatalog.Get("cgan");
        var e = Assert.Throws<InvalidInputException>(() => recipe.ConfigureOptions(DataDescription.FromShape([2]), new Dictionary<string, string>()));
        Assert.Contains("labels", e.Message);
        Assert.Throws<InvalidInputException>(() => recipe.ConfigureOptions(DataDescription.FromShape(Image), new Dictionary<string, string>()));
        Assert.Contains("\"Classes\":7", recipe.ConfigureOptions(DataDescription.Images(Image, DataDescription.NumberedClasses(7)), new Dictionary<string, string>()));
    }

    [Fact]
    public void Save_then_load_rebuilds_a_model_with_identical_samples()
    {
        using var directory = new TempDirectory();
        using var model = Build(("classes", "4"), ("hidden", "8"), ("latent", "3"));
        var state = new TrainingState("synthetic", BinarizationMode.None, 0, 32, 2e-4, 8, 16, 3);
        Checkpoint.Save(directory.Path, model, state, step: null, generator: null);
        using LoadedCheckpoint loaded = Checkpoint.Load(directory.Path, CPU);
        using var rebuilt = loaded.Model;
        Assert.Equal(model.OptionsJson, rebuilt.OptionsJson);
        using var g1 = new Generator(9);
        using var g2 = new Generator(9);
        using Tensor labels = tensor(new long[] { 0, 1, 2, 3 });
        using Tensor a = ((ConditionalGan)model.Module).SampleClasses(labels, g1), b = ((ConditionalGan)rebuilt.Module).SampleClasses(labels, g2);
        Assert.True(a.equal(b).all().item<bool>());
    }

    [Fact]
    public void A_conditional_step_and_sampling_leave_no_live_tensors()
    {
        using var model = Build(("classes", "4"), ("hidden", "8"), ("latent", "3"), ("gp", "1"), ("critic_norm", "none"));
        ITrainingStep step = model.Recipe.CreateStep(model.Module, 1e-3);
        using var generator = new Generator(1);
        using var batch = SyntheticImages.Make(16, 1);
        using var labels = arange(16, ScalarType.Int64) % 4;
        using (NewDisposeScope()) step.Step(new Batch(batch, labels), generator);   // the first step creates Adam's moments
        DisposeScopeManager.Statistics.Reset();
        using (NewDisposeScope()) step.Step(new Batch(batch, labels), generator);
        using (NewDisposeScope()) ((Gan)model.Module).Sample(4, generator);
        using (NewDisposeScope()) ((ConditionalGan)model.Module).SampleClasses(labels, generator);
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        ((IDisposable)step).Dispose();
    }

    /// <summary>Builds under the global-RNG lock: the initial weights draw from the global generator, which other tests seed.</summary>
    private static Gan Build(AdversarialOptions options)
    {
        lock (GenerativeSharp.Runtime.GlobalRandom.Lock)
            return Gan.Create(options);
    }
}
