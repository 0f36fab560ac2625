using GenerativeSharp.Data;
using GenerativeSharp.Layers;
using GenerativeSharp.Runtime;
using GenerativeSharp.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GenerativeSharp.Tests.Runtime;

/// <summary>
/// Channels-last convolution weights on a CPU: same values and outputs, NHWC strides, kept by the
/// flat optimizer buffers, and training that follows torch.optim.Adam on the usual layout.
/// </summary>
public sealed class ConvolutionLayoutTests
{
    private static Module<Tensor, Tensor> ConvNet(int seed)
    {
        lock (GlobalRandom.Lock)
        {
            manual_seed(seed);
            return Sequential(new Convolution2d(3, 6, 3, padding: 1), ReLU(), new Convolution2d(6, 4, 3, padding: 1), ReLU(), Flatten(), Linear(4 * 5 * 5, 2));
        }
    }

    private static bool IsChannelsLast(Tensor w)
    {
        if (w.dim() != 4) return false;
        long[] s = w.stride(), n = w.shape;
        return s[1] == 1 && s[3] == n[1] && s[2] == n[1] * n[3] && s[0] == n[1] * n[2] * n[3];
    }

    [Fact]
    public void Four_dimensional_weights_become_channels_last_with_the_same_values_and_outputs()
    {
        using var reference = ConvNet(1);
        using var relaid = ConvNet(1);
        ConvolutionLayout.Prefer(relaid, CPU);
        var pairs = reference.parameters().Zip(relaid.parameters()).ToList();
        foreach (var (before, after) in pairs)
        {
            Assert.True(before.equal(after).all().item<bool>());
            Assert.Equal(before.dim() == 4, IsChannelsLast(after));
        }
        using var scope = NewDisposeScope();
        using var generator = new Generator(3);
        Tensor x = randn([4, 3, 5, 5], generator: generator);
        double difference = (reference.forward(x) - relaid.forward(x)).abs().max().item<float>();
        Assert.True(difference < 1e-5, $"outputs differ by {difference}");
    }

    [Fact]
    public void Flat_buffers_keep_the_layout_and_training_follows_torch_adam()
    {
        using var reference = ConvNet(2);
        using var relaid = ConvNet(2);
        ConvolutionLayout.Prefer(relaid, CPU);
        using var baseline = optim.Adam(reference.parameters(), lr: 1e-2);
        using var buffers = new FlatParameters(relaid.parameters());
        using var ours = new FlatAdam(buffers, 1e-2);
        foreach (var p in relaid.parameters().Where(p => p.dim() == 4))
        {
            Assert.True(IsChannelsLast(p), "the flat view lost the channels-last layout");
            Assert.True(IsChannelsLast(p.grad!), "the flat gradient view is not channels-last");
        }
        using var generator = new Generator(4);
        for (int i = 0; i < 20; i++)
        {
            using var scope = NewDisposeScope();
            Tensor x = randn([8, 3, 5, 5], generator: generator), y = randn([8, 2], generator: generator);
            baseline.zero_grad();
            functional.mse_loss(reference.forward(x), y).backward();
            baseline.step();
            ours.ZeroGrad();
            functional.mse_loss(relaid.forward(x), y).backward();
            ours.Step();
        }
        foreach (var ((name, expected), (_, actual)) in reference.named_parameters().Zip(relaid.named_parameters()))
        {
            double difference = (expected - actual).abs().max().item<float>();
            Assert.True(difference < 1e-4, $"{name} differs by {difference} after 20 steps");
        }
    }

    [Fact]
    public void A_view_of_a_flat_buffer_takes_any_dense_layout()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(5);
        Tensor source = randn([2, 3, 4, 5], generator: generator);
        foreach (long[] order in new long[][] { [0, 1, 2, 3], [0, 2, 3, 1], [3, 1, 0, 2], [2, 0, 3, 1] })
        {
            long[] back = new long[4];
            for (int k = 0; k < 4; k++) back[order[k]] = k;
            Tensor like = source.permute(order).contiguous().permute(back);   // source's shape, strides in that order
            Tensor flat = zeros(like.numel());
            Tensor view = ConvolutionLayout.ViewLike(flat, like);
            Assert.Equal(like.shape, view.shape);
            Assert.Equal(like.stride(), view.stride());
            view.copy_(like);
            Assert.True(view.equal(source).all().item<bool>());
        }
    }

    [Fact]
    public void Models_place_convolution_weights_channels_last_on_cpu_except_pixelcnn()
    {
        using var dcgan = Build("dcgan");
        Assert.All(dcgan.Module.parameters().Where(p => p.dim() == 4 && p.shape[1] > 1), p => Assert.True(IsChannelsLast(p)));   // one input channel: either layout
        using var pixelcnn = Build("pixelcnn");
        Assert.All(pixelcnn.Module.parameters().Where(p => p.dim() == 4 && p.shape[1] > 1), p => Assert.False(IsChannelsLast(p)));
    }

    private static GenerativeSharp.Recipes.ModelInstance Build(string name)
    {
        var recipe = GenerativeSharp.Recipes.ModelCatalog.Get(name);
        string options = recipe.ConfigureOptions(DataDescription.FromShape([1, 28, 28]), new Dictionary<string, string>());
        return GenerativeSharp.Recipes.ModelInstance.Create(recipe, options, 0, CPU);
    }
}
