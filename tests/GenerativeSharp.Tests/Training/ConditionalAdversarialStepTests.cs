using GenerativeSharp.Data;
using GenerativeSharp.Models.Adversarial;
using GenerativeSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Training;

public sealed class ConditionalAdversarialStepTests
{
    private static Gan Build()
    {
        lock (GenerativeSharp.Runtime.GlobalRandom.Lock)
        {
            manual_seed(41);
            return Gan.Create(new AdversarialOptions
            {
                EventShape = [1, 12, 12], Hidden = 8, Latent = 4, Classes = 4, CriticNorm = CriticNormalization.None,
            });
        }
    }

    private static Tensor Copy(Tensor t) { using (no_grad()) return t.clone(); }

    private static bool Same(Tensor a, Tensor b) => a.equal(b).all().item<bool>();

    [Fact]
    public void Phase_one_updates_only_the_critic_and_phase_two_only_the_generator_and_its_embedding()
    {
        using Gan gan = Build();
        using var step = new AdversarialStep(gan, 1e-2);
        using var generator = new Generator(42);
        using Tensor batch = SyntheticImages.Make(16, 1);
        using Tensor labels = arange(16, ScalarType.Int64) % 4;
        using Tensor fakeLabels = gan.RandomLabels(16, generator);
        using Tensor d0 = Copy(step.CriticParameters.Values), g0 = Copy(step.GeneratorParameters.Values);
        Tensor averageEmbedding = gan.AverageNetwork.named_parameters().Single(p => p.name == "embedding.weight").parameter;
        using Tensor ema0 = Copy(averageEmbedding);
        using (NewDisposeScope()) step.CriticPhase(batch, generator, labels, fakeLabels);
        Assert.False(Same(d0, step.CriticParameters.Values), "D did not move");
        Assert.True(Same(g0, step.GeneratorParameters.Values), "G moved in phase 1");
        using Tensor d1 = Copy(step.CriticParameters.Values);
        using (NewDisposeScope()) step.GeneratorPhase(16, generator, fakeLabels);
        Assert.True(Same(d1, step.CriticParameters.Values), "D moved in phase 2");
        Assert.False(Same(g0, step.GeneratorParameters.Values), "G did not move");
        Assert.False(Same(ema0, averageEmbedding), "the average of G does not include the class embedding");
    }

    [Fact]
    public void A_conditional_step_refuses_data_without_labels_or_with_labels_out_of_range()
    {
        using Gan gan = Build();
        using var step = new AdversarialStep(gan, 1e-3);
        using var generator = new Generator(43);
        using Tensor batch = SyntheticImages.Make(8, 1);
        var e = Assert.Throws<InvalidInputException>(() => step.Step(new Batch(batch, null), generator));
        Assert.Contains("no labels", e.Message);
        using Tensor bad = full(8, 4L, ScalarType.Int64);
        Assert.Throws<InvalidInputException>(() => step.Step(new Batch(batch, bad), generator));
        using Tensor good = arange(8, ScalarType.Int64) % 4;
        Assert.True(double.IsFinite(step.Step(new Batch(batch, good), generator)["loss"]));
    }
}
