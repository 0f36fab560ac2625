using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Variational;
using GenerativeSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Models.Variational;

public sealed class VaeTests
{
    private static readonly long[] Image = [1, SyntheticImages.Size, SyntheticImages.Size];

    [Theory]
    [InlineData("mlp")]
    [InlineData("conv")]
    public void Shapes_of_every_capability(string network)
    {
        using var model = TestModels.Vae(Image, settings: [("network", network), ("hidden", "32"), ("latent", "4")]);
        var vae = (Vae)model.Module;
        using var generator = new Generator(3);
        using var x = SyntheticImages.Make(5, 1).bernoulli(generator);
        Assert.Equal(new long[] { 5 }, vae.Elbo(x, generator).shape);
        Assert.Equal(new long[] { 5 }, vae.ImportanceSampledLogLikelihood(x, 7, generator).shape);
        Assert.Equal(new long[] { 3, 1, 12, 12 }, vae.Sample(3, generator).shape);
        Assert.Equal(new long[] { 5, 4 }, vae.Encode(x).shape);
        Assert.Equal(new long[] { 5, 1, 12, 12 }, vae.Decode(vae.Encode(x)).shape);
    }

    [Fact]
    public void Gaussian_decoder_models_two_dimensional_points()
    {
        using var model = TestModels.Vae([2]);
        var vae = (Vae)model.Module;
        using var generator = new Generator(3);
        using var x = randn(8, 2, generator: generator);
        Assert.True(vae.Elbo(x, generator).isfinite().all().item<bool>());
        Assert.Equal(new long[] { 6, 2 }, vae.Sample(6, generator).shape);
    }

    [Fact]
    public void Importance_sampled_estimate_is_tighter_than_the_elbo()
    {
        using var model = TestModels.Vae(Image, settings: [("hidden", "32"), ("latent", "4")]);
        var vae = (Vae)model.Module;
        using var generator = new Generator(5);
        using var x = SyntheticImages.Make(16, 3).bernoulli(generator);
        using var noGrad = no_grad();
        double elbo = Enumerable.Range(0, 20).Average(_ => vae.Elbo(x, generator).mean().item<float>());
        double iwae = vae.ImportanceSampledLogLikelihood(x, 200, generator).mean().item<float>();
        Assert.True(iwae > elbo, $"IWAE {iwae} should exceed the ELBO {elbo}");
    }

    [Fact]
    public void Iwae_objective_and_beta_are_exposed_as_options()
    {
        using var iwae = TestModels.Vae(Image, settings: [("k", "5"), ("hidden", "16")]);
        using var generator = new Generator(1);
        using var x = SyntheticImages.Make(4, 1).bernoulli(generator);
        StepResult result = ((ITrainable)iwae.Module).Loss(x, generator);
        Assert.Contains("iwae_bound", result.Metrics.Keys);
        var e = Assert.Throws<InvalidInputException>(() => TestModels.Vae(Image, settings: [("k", "5"), ("beta", "4")]));
        Assert.Contains("beta", e.Message);
    }

    [Theory]
    [InlineData("0.25")]
    [InlineData("4")]
    public void The_elbo_weights_the_kl_by_one_whatever_the_training_beta(string beta)
    {
        using var model = TestModels.Vae(Image, settings: [("hidden", "16"), ("latent", "3"), ("beta", beta)]);
        var vae = (Vae)model.Module;
        using var data = new Generator(2);
        using var x = SyntheticImages.Make(6, 1).bernoulli(data);
        using var noGrad = no_grad();
        using var g1 = new Generator(9);
        using var g2 = new Generator(9);
        using var elbo = vae.Elbo(x, g1);                                     // [6]
        var q = vae.Posterior(x);
        using var z = q.RSample(g2);                                          // the same draw
        using var expected = vae.LogLikelihood(x, z) - q.KlToStandardNormal();
        Assert.True(elbo.allclose(expected, rtol: 1e-5, atol: 1e-4), "Elbo must be log p(x | z) - KL, unweighted");
        using var g3 = new Generator(9);
        StepResult step = ((ITrainable)vae).Loss(x, g3);
        double kl = step.Metrics["kl"].item<float>(), reconstruction = step.Metrics["reconstruction"].item<float>();
        Assert.Equal(reconstruction - kl, step.Metrics["elbo"].item<float>(), 3);
        Assert.Equal(-(reconstruction - double.Parse(beta, System.Globalization.CultureInfo.InvariantCulture) * kl), step.Loss.item<float>(), 3);
    }

    [Fact]
    public void A_training_step_leaves_no_live_tensors()
    {
        using var model = TestModels.Vae(Image, settings: [("hidden", "32")]);
        ITrainingStep step = model.Recipe.CreateStep(model.Module, 1e-3);
        using var generator = new Generator(1);
        using var batch = SyntheticImages.Make(32, 1).bernoulli(generator);
        using (NewDisposeScope()) step.Step(new Batch(batch), generator);   // the first step creates Adam's moments
        DisposeScopeManager.Statistics.Reset();
        using (NewDisposeScope()) step.Step(new Batch(batch), generator);
        using (NewDisposeScope()) ((IGenerativeModel)model.Module).Sample(4, generator);
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Training_improves_the_test_elbo()
    {
        using var model = TestModels.Vae(Image, settings: [("hidden", "64"), ("latent", "8")]);
        var vae = (Vae)model.Module;
        ITrainingStep step = model.Recipe.CreateStep(model.Module, 3e-3);
        using var generator = new Generator(9);
        using var train = SyntheticImages.Make(256, 1).bernoulli(generator);
        using var test = SyntheticImages.Make(64, 2).bernoulli(generator);
        double Evaluate() { using var _ = no_grad(); return -vae.Elbo(test, generator).mean().item<float>(); }
        double before = Evaluate();
        for (int i = 0; i < 120; i++)
        {
            using var scope = NewDisposeScope();
            step.Step(new Batch(train.narrow(0, i % 8 * 32, 32)), generator);
        }
        double after = Evaluate();
        Assert.True(after < before * 0.6, $"test -ELBO should fall well below {before}, got {after}");
    }
}
