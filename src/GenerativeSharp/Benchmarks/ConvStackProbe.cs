using GenerativeSharp.Layers;
using GenerativeSharp.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GenerativeSharp.Benchmarks;

/// <summary>
/// A benchmark-only workload with many parameter tensors, where per-tensor optimizer costs show:
/// [32, 1, 14, 14] inputs, Conv2d(1, 8, 3) + ReLU, 50 x (Conv2d(8, 8, 3) + ReLU), global average
/// pool, Linear(8, 10), cross-entropy against fixed labels: 104 parameter tensors.
/// bench/peers/conv_stack.py is the same workload in PyTorch.
/// </summary>
public sealed class ConvStackProbe : Module<Tensor, Tensor>, ITrainable
{
    public const int BatchSize = 32;
    public const int Blocks = 50;

    private readonly TorchSharp.Modules.Sequential body;
    private readonly TorchSharp.Modules.Linear head;
    private readonly Tensor labels;

    public ConvStackProbe() : base(nameof(ConvStackProbe))
    {
        var layers = new List<Module<Tensor, Tensor>> { new Convolution2d(1, 8, 3, padding: 1), ReLU() };
        for (int i = 0; i < Blocks; i++)
        {
            layers.Add(new Convolution2d(8, 8, 3, padding: 1));
            layers.Add(ReLU());
        }
        body = Sequential(layers);
        head = Linear(8, 10);
        using var generator = new Generator(17);
        labels = randint(0, 10, [BatchSize], generator: generator);
        RegisterComponents();
    }

    /// <summary>[B, 1, 14, 14] -> class logits [B, 10].</summary>
    public override Tensor forward(Tensor x)
    {
        using var features = body.forward(x).mean([2, 3]);   // [B, 8, 14, 14] -> [B, 8]
        return head.forward(features);
    }

    public StepResult Loss(Tensor batch, Generator? generator = null)
    {
        Tensor loss = functional.cross_entropy(forward(batch), labels.to(batch.device));
        return new StepResult(loss, new Dictionary<string, Tensor>());
    }

    /// <summary>The probe's fixed input batch.</summary>
    public static Tensor Batch(Device device)
    {
        using var generator = new Generator(18);
        return randn([BatchSize, 1, 14, 14], generator: generator).to(device);
    }
}
