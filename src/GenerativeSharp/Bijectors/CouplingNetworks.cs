using GenerativeSharp.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Bijectors;

/// <summary>
/// The two conditioner factories coupling layers use: an MLP for vectors and a small convolutional
/// network for images (Glow's: 3x3, 1x1, 3x3). The last layer starts at zero, so every coupling
/// starts as the identity (Kingma and Dhariwal 2018, section 3.3).
/// </summary>
public static class CouplingNetworks
{
    /// <summary>An MLP [B, D] -> [B, k D] with <paramref name="depth"/> hidden ReLU layers of <paramref name="hidden"/> units.</summary>
    public static ConditionerFactory Mlp(int hidden, int depth) => (shape, k) =>
    {
        if (shape.Length != 1) throw new ArgumentException($"an MLP conditioner needs vectors [D]; got [{string.Join(", ", shape)}].");
        int d = checked((int)shape[0]);
        var layers = new List<nn.Module<Tensor, Tensor>>();
        int width = d;
        for (int l = 0; l < depth; l++)
        {
            layers.Add(nn.Linear(width, hidden));
            layers.Add(nn.ReLU());
            width = hidden;
        }
        layers.Add(ZeroLinear(width, k * d));
        return nn.Sequential(layers);
    };

    /// <summary>Conv 3x3 -> ReLU -> conv 1x1 -> ReLU -> conv 3x3: [B, C, H, W] -> [B, k C, H, W].</summary>
    public static ConditionerFactory Conv(int hidden) => (shape, k) =>
    {
        if (shape.Length != 3) throw new ArgumentException($"a convolutional conditioner needs images [C, H, W]; got [{string.Join(", ", shape)}].");
        long c = shape[0];
        return nn.Sequential(
            new Convolution2d(c, hidden, 3, padding: 1), nn.ReLU(),
            new Convolution2d(hidden, hidden, 1), nn.ReLU(),
            ZeroConv(hidden, k * c));
    };

    private static Linear ZeroLinear(int inputs, long outputs)
    {
        Linear layer = nn.Linear(inputs, outputs);
        using (no_grad())
        {
            layer.weight!.zero_();
            layer.bias!.zero_();
        }
        return layer;
    }

    private static Convolution2d ZeroConv(int inputs, long outputs)
    {
        var layer = new Convolution2d(inputs, outputs, 3, padding: 1);
        using (no_grad())
        {
            layer.Weight.zero_();
            layer.Bias!.zero_();
        }
        return layer;
    }
}
