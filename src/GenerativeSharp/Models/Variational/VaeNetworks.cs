using GenerativeSharp.Layers;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GenerativeSharp.Models.Variational;

/// <summary>Encoder: x [B, ...event] to the posterior's (mu, logVar), each [B, latent].</summary>
internal abstract class VaeEncoder(string name) : Module<Tensor, (Tensor Mu, Tensor LogVar)>(name);

/// <summary>Decoder: z [B, latent] to likelihood parameters [B, parametersPerCoordinate, ...event] flattened as [B, P * D].</summary>
internal abstract class VaeDecoderNet(string name) : Module<Tensor, Tensor>(name);

/// <summary>ReLU layers D -> hidden (x depth) -> (mu, logVar).</summary>
internal sealed class MlpEncoder : VaeEncoder
{
    private readonly TorchSharp.Modules.Sequential body;
    private readonly TorchSharp.Modules.Linear fcMu;
    private readonly TorchSharp.Modules.Linear fcLogVar;

    public MlpEncoder(long inputs, int hidden, int depth, int latent) : base(nameof(MlpEncoder))
    {
        body = HiddenStack(inputs, hidden, depth);
        fcMu = Linear(hidden, latent);
        fcLogVar = Linear(hidden, latent);
        RegisterComponents();
    }

    public override (Tensor Mu, Tensor LogVar) forward(Tensor x)
    {
        using var h = body.forward(x.flatten(1));   // [B, D] -> [B, hidden]
        return (fcMu.forward(h), fcLogVar.forward(h));
    }

    /// <summary>depth x (Linear, ReLU), the first from <paramref name="inputs"/> features.</summary>
    internal static TorchSharp.Modules.Sequential HiddenStack(long inputs, int hidden, int depth)
    {
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        for (int i = 0; i < depth; i++)
        {
            layers.Add(($"linear{i}", Linear(i == 0 ? inputs : hidden, hidden)));
            layers.Add(($"relu{i}", ReLU()));
        }
        return Sequential(layers.ToArray());
    }
}

/// <summary>ReLU layers latent -> hidden (x depth) -> outputs.</summary>
internal sealed class MlpDecoder : VaeDecoderNet
{
    private readonly TorchSharp.Modules.Sequential body;
    private readonly TorchSharp.Modules.Linear output;

    public MlpDecoder(int latent, int hidden, int depth, long outputs) : base(nameof(MlpDecoder))
    {
        body = MlpEncoder.HiddenStack(latent, hidden, depth);
        output = Linear(hidden, outputs);
        RegisterComponents();
    }

    public override Tensor forward(Tensor z)
    {
        using var h = body.forward(z);
        return output.forward(h);
    }
}

/// <summary>[C, H, W] -> conv 4x4/2 (32) -> conv 4x4/2 (64) -> dense hidden -> (mu, logVar).</summary>
internal sealed class ConvEncoder : VaeEncoder
{
    private readonly Convolution2d conv1;
    private readonly Convolution2d conv2;
    private readonly TorchSharp.Modules.Linear fc1;
    private readonly TorchSharp.Modules.Linear fcMu;
    private readonly TorchSharp.Modules.Linear fcLogVar;

    public ConvEncoder(long[] eventShape, int hidden, int latent) : base(nameof(ConvEncoder))
    {
        long features = 64 * (eventShape[1] / 4) * (eventShape[2] / 4);
        conv1 = new Convolution2d(eventShape[0], 32, 4, stride: 2, padding: 1);
        conv2 = new Convolution2d(32, 64, 4, stride: 2, padding: 1);
        fc1 = Linear(features, hidden);
        fcMu = Linear(hidden, latent);
        fcLogVar = Linear(hidden, latent);
        RegisterComponents();
    }

    public override (Tensor Mu, Tensor LogVar) forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor h = functional.relu(conv1.forward(x));           // [B, 32, H/2, W/2]
        h = functional.relu(conv2.forward(h));                  // [B, 64, H/4, W/4]
        h = functional.relu(fc1.forward(h.flatten(1)));         // [B, hidden]
        return (fcMu.forward(h).MoveToOuterDisposeScope(), fcLogVar.forward(h).MoveToOuterDisposeScope());
    }
}

/// <summary>latent -> dense hidden -> 64 x H/4 x W/4 -> two transposed convolutions -> outputs per pixel.</summary>
internal sealed class ConvDecoder : VaeDecoderNet
{
    private readonly TorchSharp.Modules.Linear fc1;
    private readonly TorchSharp.Modules.Linear fc2;
    private readonly TransposedConvolution2d deconv1;
    private readonly TransposedConvolution2d deconv2;
    private readonly long height;
    private readonly long width;

    public ConvDecoder(long[] eventShape, int hidden, int latent, int parametersPerCoordinate) : base(nameof(ConvDecoder))
    {
        height = eventShape[1] / 4;
        width = eventShape[2] / 4;
        fc1 = Linear(latent, hidden);
        fc2 = Linear(hidden, 64 * height * width);
        deconv1 = new TransposedConvolution2d(64, 32, 4, stride: 2, padding: 1);
        deconv2 = new TransposedConvolution2d(32, eventShape[0] * parametersPerCoordinate, 4, stride: 2, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        Tensor h = functional.relu(fc1.forward(z));
        h = functional.relu(fc2.forward(h)).view(-1, 64, height, width);   // [B, 64, H/4, W/4]
        h = functional.relu(deconv1.forward(h));                            // [B, 32, H/2, W/2]
        return deconv2.forward(h).flatten(1).MoveToOuterDisposeScope();     // [B, P*C*H*W]
    }
}
