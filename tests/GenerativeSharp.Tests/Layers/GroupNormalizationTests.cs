using GenerativeSharp.Layers;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Layers;

public sealed class GroupNormalizationTests
{
    [Fact]
    public void Each_group_has_mean_zero_and_variance_one_and_gradients_flow()
    {
        using var norm = new GroupNormalization(4, 8);
        using var generator = new Generator(3);
        using var x = (randn([2, 8, 5, 5], generator: generator) * 3 + 1).requires_grad_();
        using var y = norm.forward(x);
        using var groups = y.detach().reshape(2, 4, -1);                          // [B, C, H, W] -> [B, G, C/G * H * W]
        Assert.True(groups.mean([2]).abs().max().item<float>() < 1e-5);
        Assert.True((groups.var([2], unbiased: false) - 1).abs().max().item<float>() < 1e-3);
        y.square().sum().backward();
        Assert.True(x.grad!.isfinite().all().item<bool>());
        Assert.Equal(2, norm.parameters().Count());
    }
}
