using GenerativeSharp.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Adversarial;

/// <summary>
/// The DCGAN generator (Radford, Metz and Chintala, "Unsupervised Representation Learning with Deep
/// Convolutional Generative Adversarial Networks", 2016, arXiv:1511.06434): z -> a linear projection to
/// [4c, S/4, S/4] (or [8c, S/8, S/8] for S >= 64), then stride-2 4x4 transposed convolutions that halve
/// the channels and double the side, batch norm and ReLU throughout, and a 3x3 convolution with tanh to
/// the image's channels. c = options.Hidden.
/// </summary>
internal sealed class DcganGenerator : nn.Module<Tensor, Tensor>
{
    private readonly Linear project;
    private readonly BatchNorm2d projectNorm;
    private readonly ModuleList<TransposedConvolution2d> ups = new();
    private readonly ModuleList<BatchNorm2d> upNorms = new();
    private readonly Convolution2d toImage;
    private readonly long startChannels;
    private readonly long startSide;

    public DcganGenerator(AdversarialOptions options) : base(nameof(DcganGenerator))
    {
        long side = options.EventShape[1];
        int stages = DcganShape.Stages(side);
        startChannels = (long)options.Hidden << stages;
        startSide = side >> stages;
        project = nn.Linear(options.Latent, startChannels * startSide * startSide);
        projectNorm = nn.BatchNorm2d(startChannels);
        long channels = startChannels;
        for (int i = 0; i < stages; i++)
        {
            ups.Add(new TransposedConvolution2d(channels, channels / 2, 4, stride: 2, padding: 1));
            upNorms.Add(nn.BatchNorm2d(channels / 2));
            channels /= 2;
        }
        toImage = new Convolution2d(channels, options.EventShape[0], 3, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        Tensor h = project.forward(z).view(z.shape[0], startChannels, startSide, startSide);   // [B, L] -> [B, 4c, S/4, S/4]
        h = nn.functional.relu(projectNorm.forward(h));
        for (int i = 0; i < ups.Count; i++)
            h = nn.functional.relu(upNorms[i].forward(ups[i].forward(h)));                   // channels / 2, side x 2
        return toImage.forward(h).tanh().MoveToOuterDisposeScope();                           // [B, C, S, S]
    }
}

/// <summary>
/// The DCGAN critic: stride-2 4x4 convolutions doubling the channels (c, 2c[, 4c]) with LeakyReLU(0.2),
/// batch norm after the first layer when asked (none for WGAN-GP), then a linear layer to one score
/// per example [B]. Optionally spectrally normalised.
/// </summary>
internal sealed class DcganCritic : nn.Module<Tensor, Tensor>, IFeatureCritic
{
    private readonly ModuleList<Convolution2d> downs = new();
    private readonly ModuleList<BatchNorm2d> norms = new();
    private readonly ModuleList<SpectralNorm> spectral = new();
    private readonly Linear output;
    private readonly SpectralNorm? outputSpectral;

    public DcganCritic(AdversarialOptions options) : base(nameof(DcganCritic))
    {
        long side = options.EventShape[1];
        int stages = DcganShape.Stages(side);
        long channels = options.EventShape[0];
        for (int i = 0; i < stages; i++)
        {
            long next = (long)options.Hidden << i;
            downs.Add(new Convolution2d(channels, next, 4, stride: 2, padding: 1));
            if (options.CriticNorm == CriticNormalization.Batch && i > 0) norms.Add(nn.BatchNorm2d(next));
            if (options.SpectralNorm) spectral.Add(new SpectralNorm(next));
            channels = next;
        }
        long finalSide = side >> stages;
        FeatureSize = channels * finalSide * finalSide;
        output = nn.Linear(FeatureSize, 1);
        if (options.SpectralNorm) outputSpectral = new SpectralNorm(1);
        RegisterComponents();
    }

    public long FeatureSize { get; }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Head(Features(x)).MoveToOuterDisposeScope();
    }

    /// <summary>The penultimate vector: the flattened last feature map, [B, C, S, S] -> [B, C' s s].</summary>
    public Tensor Features(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor h = x;
        for (int i = 0; i < downs.Count; i++)
        {
            Convolution2d conv = downs[i];
            h = spectral.Count == 0 ? conv.forward(h) : conv.Apply(h, spectral[i].Normalize(conv.Weight));
            if (i > 0 && norms.Count > 0) h = norms[i - 1].forward(h);
            h = nn.functional.leaky_relu(h, 0.2);                                  // side / 2
        }
        return h.flatten(1).MoveToOuterDisposeScope();                              // [B, C', s, s] -> [B, C' s s]
    }

    /// <summary>The unconditional score of the features, [B, F] -> [B].</summary>
    public Tensor Head(Tensor features)
    {
        using var scope = NewDisposeScope();
        return SpectralNorm.Linear(output, outputSpectral, features).squeeze(1).MoveToOuterDisposeScope();                          // [B, 1] -> [B]
    }
}

/// <summary>How many stride-2 stages a DCGAN of a given image side has.</summary>
internal static class DcganShape
{
    /// <summary>3 for sides of 64 and more (divisible by 8), else 2 (sides divisible by 4: 28, 32).</summary>
    public static int Stages(long side) => side >= 64 && side % 8 == 0 ? 3 : 2;
}
