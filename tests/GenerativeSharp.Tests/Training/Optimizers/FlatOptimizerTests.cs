using GenerativeSharp.Runtime;
using GenerativeSharp.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GenerativeSharp.Tests.Training.Optimizers;

/// <summary>The flat optimizers against TorchSharp's own torch.optim implementations, step for step.</summary>
public sealed class FlatOptimizerTests
{
    public static TheoryData<string> Rules => ["adam", "adam-l2", "adamw", "sgd", "sgd-momentum", "sgd-nesterov-decay"];

    [Theory]
    [MemberData(nameof(Rules))]
    public void Matches_torch_optim_over_many_steps(string rule)
    {
        using Module<Tensor, Tensor> reference = Network(seed: 3), flat = Network(seed: 3);
        optim.Optimizer baseline = rule switch
        {
            "adam" => optim.Adam(reference.parameters(), lr: 1e-2),
            "adam-l2" => optim.Adam(reference.parameters(), lr: 1e-2, weight_decay: 0.1),
            "adamw" => optim.AdamW(reference.parameters(), lr: 1e-2, weight_decay: 0.1),
            "sgd" => optim.SGD(reference.parameters(), 0.05),
            "sgd-momentum" => optim.SGD(reference.parameters(), 0.05, momentum: 0.9, dampening: 0.1),
            _ => optim.SGD(reference.parameters(), 0.05, momentum: 0.9, weight_decay: 0.01, nesterov: true),
        };
        using var buffers = new FlatParameters(flat.parameters());
        using IFlatOptimizer ours = rule switch
        {
            "adam" => new FlatAdam(buffers, 1e-2),
            "adam-l2" => new FlatAdam(buffers, 1e-2, weightDecay: 0.1),
            "adamw" => FlatAdam.AdamW(buffers, 1e-2, weightDecay: 0.1),
            "sgd" => new FlatSgd(buffers, 0.05),
            "sgd-momentum" => new FlatSgd(buffers, 0.05, momentum: 0.9, dampening: 0.1),
            _ => new FlatSgd(buffers, 0.05, momentum: 0.9, weightDecay: 0.01, nesterov: true),
        };
        using var generator = new Generator(5);
        for (int i = 0; i < 60; i++)
        {
            using var scope = NewDisposeScope();
            Tensor x = randn(16, 6, generator: generator), y = randn(16, 3, generator: generator);
            baseline.zero_grad();
            functional.mse_loss(reference.forward(x), y).backward();
            baseline.step();
            ours.ZeroGrad();
            functional.mse_loss(flat.forward(x), y).backward();
            ours.Step();
        }
        foreach (var ((name, expected), (_, actual)) in reference.named_parameters().Zip(flat.named_parameters()))
        {
            double scale = expected.abs().max().item<float>();
            double difference = (expected - actual).abs().max().item<float>();
            Assert.True(difference <= 1e-6 * Math.Max(1, scale), $"{rule}: {name} differs by {difference}");
        }
    }

    [Fact]
    public void Parameters_and_gradients_become_views_of_the_flat_buffers()
    {
        using Module<Tensor, Tensor> network = Network(seed: 1);
        var before = network.parameters().Select(p => p.detach().clone()).ToList();
        using var buffers = new FlatParameters(network.parameters());
        Assert.Equal(before.Sum(p => p.numel()), buffers.Values.numel());
        Assert.True(cat(before.Select(p => p.flatten()).ToList()).equal(buffers.Values).all().item<bool>());

        using var generator = new Generator(2);
        using var x = randn(4, 6, generator: generator);
        network.forward(x).square().sum().backward();
        Tensor gradients = cat(network.parameters().Select(p => p.grad!.flatten()).ToList());
        Assert.True(gradients.equal(buffers.Gradients).all().item<bool>());
        Assert.True(buffers.Gradients.abs().sum().item<float>() > 0);

        using (no_grad()) buffers.Values.add_(1.0);      // writing the buffer moves the parameters
        Assert.True(network.parameters().First().equal(before[0] + 1).all().item<bool>());
    }

    [Fact]
    public void State_round_trips_and_resumes_exactly()
    {
        using Module<Tensor, Tensor> a = Network(seed: 4), b = Network(seed: 4);
        using var flatA = new FlatParameters(a.parameters());
        using var flatB = new FlatParameters(b.parameters());
        using var adamA = new FlatAdam(flatA, 1e-2);
        using var adamB = new FlatAdam(flatB, 1e-2);
        using var generator = new Generator(8);
        var batches = Enumerable.Range(0, 10).Select(_ => randn(8, 6, generator: generator)).ToList();
        void Train(Module<Tensor, Tensor> net, IFlatOptimizer opt, IEnumerable<Tensor> xs)
        {
            foreach (Tensor x in xs) { opt.ZeroGrad(); net.forward(x).square().mean().backward(); opt.Step(); }
        }
        Train(a, adamA, batches);
        Train(b, adamB, batches.Take(4));
        var saved = new Dictionary<string, Tensor>();
        adamB.SaveState(saved, "opt.");
        using var freshFlat = new FlatParameters(b.parameters());
        using var fresh = new FlatAdam(freshFlat, 1e-2);
        fresh.LoadState(saved.ToDictionary(p => p.Key, p => p.Value.clone()), "opt.");
        Train(b, fresh, batches.Skip(4));
        Assert.True(flatA.Values.equal(freshFlat.Values).all().item<bool>());
    }

    private static Module<Tensor, Tensor> Network(long seed)
    {
        lock (GlobalRandom.Lock)
        {
            manual_seed(seed);
            return Sequential(Linear(6, 8), Tanh(), Linear(8, 8), Tanh(), Linear(8, 3));
        }
    }
}
