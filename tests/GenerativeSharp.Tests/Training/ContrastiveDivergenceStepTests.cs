using GenerativeSharp.Data;
using GenerativeSharp.Runtime;
using GenerativeSharp.Models.Boltzmann;
using GenerativeSharp.Tests.Models.Boltzmann;
using GenerativeSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Training;

public sealed class ContrastiveDivergenceStepTests
{
    [Fact]
    public void Long_chains_give_the_exact_log_likelihood_gradient_in_sign_and_size()
    {
        // A tiny RBM whose model expectation can be enumerated: grad of the mean NLL wrt W is
        // -(E_data[v p(h|v)^T] - E_model[v p(h|v)^T]).
        using Rbm rbm = RbmTests.Random([4], 3, 0.8, 11);
        using var generator = new Generator(12);
        using Tensor prototypes = tensor(new float[] { 1, 1, 0, 0, 0, 0, 1, 1 }, new long[] { 2, 4 });
        using Tensor data = prototypes.repeat(3000, 1);                                  // 6000 examples, two patterns
        Tensor expected;
        using (no_grad())
        {
            Tensor all = RbmTests.AllBinary(4).to(ScalarType.Float32);
            Tensor pModel = (-rbm.FreeEnergy(all)).softmax(0);                           // exact p(v)
            Tensor modelTerm = (all * pModel.unsqueeze(1)).t().matmul(rbm.HiddenProbabilities(all));
            Tensor dataTerm = data.t().matmul(rbm.HiddenProbabilities(data)) / data.shape[0];
            expected = -(dataTerm - modelTerm);
        }
        var options = rbm.Options with { GibbsSteps = 50, Momentum = 0, WeightDecay = 0 };
        using Rbm copy = WithOptions(RbmTests.Random([4], 3, 0.8, 11), options);
        using var step = new ContrastiveDivergenceStep(copy, 1e-9);
        using (NewDisposeScope()) step.Step(new Batch(data), generator);
        Tensor estimated = copy.Weight.grad!;
        double cosine = (estimated * expected).sum().item<float>() / (estimated.norm().item<float>() * expected.norm().item<float>());
        double ratio = estimated.norm().item<float>() / expected.norm().item<float>();
        Assert.True(cosine > 0.98, $"direction: cosine {cosine}");
        Assert.InRange(ratio, 0.9, 1.1);
    }

    [Fact]
    public void Cd_and_pcd_steps_leave_no_live_tensors_and_lower_the_reconstruction_error()
    {
        foreach (bool persistent in new[] { false, true })
        {
            using Rbm rbm = WithOptions(RbmTests.Random([1, 12, 12], 32, 0.01, 13), new RbmOptions { EventShape = [1, 12, 12], Hidden = 32, Persistent = persistent });
            using var step = new ContrastiveDivergenceStep(rbm, 0.1);
            using var generator = new Generator(14);
            using Tensor batch = SyntheticImages.Make(64, 1).bernoulli(generator);
            double first;
            using (NewDisposeScope()) first = step.Step(new Batch(batch), generator)["reconstruction_error"];
            DisposeScopeManager.Statistics.Reset();
            double last = first;
            for (int i = 0; i < 60; i++)
                using (NewDisposeScope()) last = step.Step(new Batch(batch), generator)["reconstruction_error"];
            Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            Assert.True(last < first * 0.7, $"pcd={persistent}: reconstruction error {first} -> {last}");
        }
    }

    /// <summary>The same weights under other training options.</summary>
    private static Rbm WithOptions(Rbm source, RbmOptions options)
    {
        Rbm rbm;
        lock (GlobalRandom.Lock)                                  // its initial weights draw from the global generator; other tests seed it under this lock
            rbm = new Rbm(options with { Hidden = source.Hidden, EventShape = source.EventShape });
        using (no_grad())
        {
            rbm.Weight.copy_(source.Weight);
            rbm.VisibleBias.copy_(source.VisibleBias);
            rbm.HiddenBias.copy_(source.HiddenBias);
        }
        source.Dispose();
        return rbm;
    }
}
