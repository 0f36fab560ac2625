using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Diffusion;
using GenerativeSharp.Models.Diffusion.Samplers;
using GenerativeSharp.Recipes;
using GenerativeSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Models.Diffusion;

public sealed class ConditionalDdpmTests
{
    private static readonly string[] FourClasses = ["a", "b", "c", "d"];

    private static ModelInstance Build(DataDescription data, params (string Key, string Value)[] settings)
    {
        IModelRecipe recipe = ModelCatalog.Get("ddpm");
        string options = recipe.ConfigureOptions(data, settings.ToDictionary(s => s.Key, s => s.Value));
        return ModelInstance.Create(recipe, options, 0, CPU);
    }

    private static ModelInstance Images() =>
        Build(DataDescription.Images([1, 28, 28], FourClasses), ("classes", "4"), ("timesteps", "10"), ("channels", "8"));

    /// <summary>A conditional MLP model of 2-D points (no labelled 2-D data ships, so built from options).</summary>
    private static ConditionalDdpm Points()
    {
        lock (GenerativeSharp.Runtime.GlobalRandom.Lock)   // other test classes build seeded models meanwhile
        {
            manual_seed(5);
            return new(new DdpmOptions { Classes = 3, Timesteps = 20, Hidden = 16, Depth = 1 });
        }
    }

    [Fact]
    public void Label_dropout_replaces_about_a_tenth_of_the_labels_by_the_null_class()
    {
        using var model = Points();
        using var generator = new Generator(3);
        using var scope = NewDisposeScope();
        Tensor labels = arange(20_000, ScalarType.Int64) % 3;
        Tensor dropped = model.DropLabels(labels, generator);
        Tensor isNull = dropped.eq(model.NullClass);
        double rate = isNull.to(ScalarType.Float32).mean().item<float>();
        Assert.InRange(rate, 0.09, 0.11);                                                   // 0.1 +- 4.7 standard errors
        Assert.True(dropped.masked_select(isNull.logical_not()).equal(labels.masked_select(isNull.logical_not())).all().item<bool>());
    }

    [Fact]
    public void An_unconditional_ddpm_is_not_a_conditional_sampler_and_a_conditional_one_is()
    {
        using ModelInstance plain = Build(DataDescription.Points(), ("timesteps", "10"), ("hidden", "8"), ("depth", "1"));
        Assert.IsNotAssignableFrom<IConditionalSampler>(plain.Module);
        Assert.IsAssignableFrom<ILatentModel>(plain.Module);
        using ModelInstance conditional = Images();
        var model = Assert.IsType<ConditionalDdpm>(conditional.Module);
        Assert.Equal(ContextKind.ClassLabel, model.Context);
        Assert.Equal(4, model.Classes);
    }

    [Fact]
    public void The_recipe_refuses_classes_on_unlabelled_data_in_one_line()
    {
        IModelRecipe recipe = ModelCatalog.Get("ddpm");
        foreach (DataDescription data in new[] { DataDescription.Points(), DataDescription.Images([1, 28, 28]) })
        {
            var e = Assert.Throws<InvalidInputException>(() => recipe.ConfigureOptions(data, new Dictionary<string, string> { ["classes"] = "4" }));
            Assert.StartsWith("ddpm with classes=4 needs labelled data", e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
        Assert.Throws<InvalidInputException>(() => recipe.ConfigureOptions(DataDescription.Images([1, 28, 28], FourClasses),
            new Dictionary<string, string> { ["classes"] = "2" }));
        Assert.Throws<InvalidInputException>(() => recipe.ConfigureOptions(DataDescription.Points(), new Dictionary<string, string> { ["label_dropout"] = "0.2" }));
    }

    [Fact]
    public void A_conditional_ddpm_trains_a_step_on_labelled_images_and_samples_guided_from_a_seed()
    {
        using ModelInstance instance = Images();
        var model = (ConditionalDdpm)instance.Module;
        using var generator = new Generator(1);
        using var x = (rand([4, 1, 28, 28], generator: generator) * 255).round() / 255;
        using var labels = tensor(new long[] { 0, 1, 2, 3 });
        ITrainingStep step = instance.Recipe.CreateStep(instance.Module, 1e-3);
        double loss;
        using (NewDisposeScope()) loss = step.Step(new Batch(x, labels), generator)["loss"];
        Assert.True(double.IsFinite(loss));
        using var scope = NewDisposeScope();
        Tensor y = tensor(new long[] { 1, 1 });
        Tensor a = model.SampleClasses(y, 2, model.DefaultSampler, new Generator(5));
        Tensor b = model.SampleClasses(y, 2, model.DefaultSampler, new Generator(5));
        Assert.Equal([2L, 1, 28, 28], a.shape);
        Assert.True(a.equal(b).all().item<bool>());
        Assert.True(a.min().item<float>() >= 0 && a.max().item<float>() <= 1);
    }

    [Fact]
    public void Guided_sampling_repeats_from_a_seed_with_both_samplers_and_w_zero_is_plain_conditional()
    {
        using var model = Points();
        using var scope = NewDisposeScope();
        Tensor y = tensor(new long[] { 0, 1, 2, 2 });
        foreach (IDiffusionSampler sampler in new[] { model.DefaultSampler, model.AncestralSampler })
        {
            Tensor a = model.SampleClasses(y, 1.5, sampler, new Generator(9));
            Tensor b = model.SampleClasses(y, 1.5, sampler, new Generator(9));
            Tensor c = model.SampleClasses(y, 1.5, sampler, new Generator(10));
            Assert.True(a.equal(b).all().item<bool>(), sampler.Name);
            Assert.False(a.equal(c).all().item<bool>(), sampler.Name);
        }
        Tensor unguided = model.SampleClasses(y, 0, model.DefaultSampler, new Generator(9));
        Tensor guided = model.SampleClasses(y, 1.5, model.DefaultSampler, new Generator(9));
        Assert.False(unguided.equal(guided).all().item<bool>(), "guidance must change the draw");
        Tensor plain = ((IConditionalSampler)model).Sample(y, new Generator(4));
        Tensor zero = model.SampleClasses(y, 0, model.DefaultSampler, new Generator(4));
        Assert.True(plain.equal(zero).all().item<bool>());
        Assert.Throws<InvalidInputException>(() => model.SampleClasses(tensor(new long[] { 3 }), 0, model.DefaultSampler));
    }

    [Fact]
    public void Save_then_load_gives_the_same_guided_samples()
    {
        using var directory = new TempDirectory();
        using ModelInstance instance = Images();
        ITrainingStep step = instance.Recipe.CreateStep(instance.Module, 1e-2);
        using var generator = new Generator(2);
        using var x = rand([4, 1, 28, 28], generator: generator);
        using var labels = tensor(new long[] { 0, 1, 2, 3 });
        using (NewDisposeScope()) step.Step(new Batch(x, labels), generator);
        var state = new TrainingState("idx", BinarizationMode.None, 0, 4, 1e-2, 1, 4, 1);
        Checkpoint.Save(directory.Path, instance, state, step: null, generator: null);
        using LoadedCheckpoint loaded = Checkpoint.Load(directory.Path, CPU);
        using var rebuilt = loaded.Model;
        var original = (ConditionalDdpm)instance.Module;
        var copy = Assert.IsType<ConditionalDdpm>(rebuilt.Module);
        using var scope = NewDisposeScope();
        Tensor y = tensor(new long[] { 3, 0 });
        Tensor s1 = original.SampleClasses(y, 2, original.DefaultSampler, new Generator(4));
        Tensor s2 = copy.SampleClasses(y, 2, copy.DefaultSampler, new Generator(4));
        Assert.True(s1.equal(s2).all().item<bool>());
    }

    [Fact]
    public void Decoding_the_same_latent_twice_gives_the_same_image_and_class_mixes_decode()
    {
        using ModelInstance instance = Images();
        var model = (ConditionalDdpm)instance.Module;
        using var scope = NewDisposeScope();
        Assert.Equal([784L], model.LatentShape);
        Tensor z = randn([2, 784], generator: new Generator(7));
        Tensor a = model.Decode(z), b = model.Decode(z);
        Assert.Equal([2L, 1, 28, 28], a.shape);
        Assert.True(a.equal(b).all().item<bool>());
        Tensor mix = model.DecodeClassMix(z, tensor(new[] { 0.5f, 0.5f, 0f, 0f, 0f, 0f, 1f, 0f }).view(2, 4));
        Assert.Equal([2L, 1, 28, 28], mix.shape);
        Tensor code = model.Encode(a);
        Assert.Equal([2L, 784], code.shape);
        Assert.True(code.isfinite().all().item<bool>());
    }

    [Fact]
    public void A_conditional_step_guided_sampling_and_the_ddim_latent_leave_no_live_tensors()
    {
        using var model = Points();
        using var step = new DiffusionStep(model, 1e-3);
        using var generator = new Generator(1);
        using var x = randn([16, 2], generator: generator);
        using var labels = arange(16, ScalarType.Int64) % 3;
        using (NewDisposeScope()) step.Step(new Batch(x, labels), generator);     // the first step creates Adam's moments
        using var y = tensor(new long[] { 0, 2 });
        DisposeScopeManager.Statistics.Reset();
        using (NewDisposeScope()) step.Step(new Batch(x, labels), generator);
        using (NewDisposeScope()) model.SampleClasses(y, 2, model.DefaultSampler, generator);
        using (NewDisposeScope()) model.SampleClasses(y, 2, model.AncestralSampler, generator);
        using (NewDisposeScope()) model.Encode(x);
        using (NewDisposeScope()) model.Decode(x);
        using (NewDisposeScope()) model.DecodeClassMix(x.narrow(0, 0, 2), tensor(new[] { 0.5f, 0.5f, 0f, 0f, 0f, 1f }).view(2, 3));
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
