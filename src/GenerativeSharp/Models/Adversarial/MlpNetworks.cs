using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Adversarial;

/// <summary>
/// The fully connected generator of Goodfellow et al., "Generative Adversarial Nets", 2014
/// (arXiv:1406.2661), with ReLU hidden layers (the paper used rectifier and sigmoid units): z [B, L] ->
/// two hidden layers -> x [B, ...event]. Images come out through tanh in [-1, 1]; points are linear.
/// </summary>
internal sealed class MlpGenerator : nn.Module<Tensor, Tensor>
{
    private readonly Linear input;
    private readonly Linear middle;
    private readonly Linear output;
    private readonly long[] eventShape;
    private readonly bool image;

    public MlpGenerator(AdversarialOptions options) : base(nameof(MlpGenerator))
    {
        eventShape = options.EventShape;
        image = options.IsImage;
        long dimensions = eventShape.Aggregate(1L, (a, b) => a * b);
        input = nn.Linear(options.Latent, options.Hidden);
        middle = nn.Linear(options.Hidden, options.Hidden);
        output = nn.Linear(options.Hidden, dimensions);
        RegisterComponents();
    }

    public override Tensor forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        Tensor h = nn.functional.relu(middle.forward(nn.functional.relu(input.forward(z))));
        Tensor x = output.forward(h);                                            // [B, D]
        if (image) x = x.tanh();
        return x.view([z.shape[0], .. eventShape]).MoveToOuterDisposeScope();   // [B, D] -> [B, ...event]
    }
}

/// <summary>
/// The fully connected critic (discriminator): x [B, ...event] -> two LeakyReLU(0.2) hidden layers ->
/// one real score per example [B]; optionally spectrally normalised.
/// </summary>
internal sealed class MlpCritic : nn.Module<Tensor, Tensor>, IFeatureCritic
{
    private readonly Linear input;
    private readonly Linear middle;
    private readonly Linear output;
    private readonly SpectralNorm? inputNorm;
    private readonly SpectralNorm? middleNorm;
    private readonly SpectralNorm? outputNorm;

    public MlpCritic(AdversarialOptions options) : base(nameof(MlpCritic))
    {
        long dimensions = options.EventShape.Aggregate(1L, (a, b) => a * b);
        input = nn.Linear(dimensions, options.Hidden);
        middle = nn.Linear(options.Hidden, options.Hidden);
        output = nn.Linear(options.Hidden, 1);
        FeatureSize = options.Hidden;
        if (options.SpectralNorm)
        {
            inputNorm = new SpectralNorm(options.Hidden);
            middleNorm = new SpectralNorm(options.Hidden);
            outputNorm = new SpectralNorm(1);
        }
        RegisterComponents();
    }

    public long FeatureSize { get; }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Head(Features(x)).MoveToOuterDisposeScope();
    }

    /// <summary>The penultimate vector, [B, ...event] -> [B, H].</summary>
    public Tensor Features(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor h = nn.functional.leaky_relu(SpectralNorm.Linear(input, inputNorm, x.flatten(1)), 0.2);   // [B, ...event] -> [B, D] -> [B, H]
        return nn.functional.leaky_relu(SpectralNorm.Linear(middle, middleNorm, h), 0.2).MoveToOuterDisposeScope();
    }

    /// <summary>The unconditional score of the features, [B, H] -> [B].</summary>
    public Tensor Head(Tensor features)
    {
        using var scope = NewDisposeScope();
        return SpectralNorm.Linear(output, outputNorm, features).squeeze(1).MoveToOuterDisposeScope();   // [B, 1] -> [B]
    }
}
