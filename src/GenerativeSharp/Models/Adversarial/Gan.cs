using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Adversarial;

/// <summary>
/// A generative adversarial network: a generator G maps z ~ N(0, I) to an example, a critic D scores
/// examples, and the two play the game of <see cref="AdversarialLoss"/> (trained by
/// <see cref="Training.AdversarialStep"/>: update D, then G). A GAN is an implicit model: it samples but
/// has no likelihood, so it reports sample-quality metrics (FID, KID, precision/recall) instead. Sampling
/// uses an exponential moving average of G's weights (Yazıcı et al., "The Unusual Effectiveness of
/// Averaging in GAN Training", ICLR 2019, arXiv:1806.04498), kept as a third network so checkpoints hold it.
/// Images in [0, 1] are seen by both networks in [-1, 1]; G's tanh output is mapped back to [0, 1].
/// References: Goodfellow et al., "Generative Adversarial Nets", 2014 (arXiv:1406.2661), MLP networks;
/// Radford et al. 2016 (arXiv:1511.06434), DCGAN networks; Gulrajani et al., "Improved Training of
/// Wasserstein GANs", 2017 (arXiv:1704.00028), WGAN-GP as the Wasserstein loss plus a gradient penalty.
/// </summary>
public sealed class Gan : nn.Module, IGenerativeModel, ILatentModel
{
    private const int InversionSteps = 200;

    private readonly nn.Module<Tensor, Tensor> generator;
    private readonly nn.Module<Tensor, Tensor> critic;
    private readonly nn.Module<Tensor, Tensor> average;

    public Gan(AdversarialOptions options) : base(nameof(Gan))
    {
        options.Validate();
        Options = options;
        (generator, critic, average) = options.Architecture switch
        {
            GanArchitecture.Mlp => ((nn.Module<Tensor, Tensor>)new MlpGenerator(options), (nn.Module<Tensor, Tensor>)new MlpCritic(options),
                (nn.Module<Tensor, Tensor>)new MlpGenerator(options)),
            GanArchitecture.Conv => (new DcganGenerator(options), new DcganCritic(options), new DcganGenerator(options)),
            _ => throw new ArgumentOutOfRangeException(nameof(options)),
        };
        RegisterComponents();
        foreach (var p in average.parameters()) p.requires_grad = false;   // updated only by UpdateAverage
        UpdateAverage(decay: 0);
    }

    public AdversarialOptions Options { get; }

    public long[] EventShape => Options.EventShape;

    public long[] LatentShape => [Options.Latent];

    /// <summary>G, the network the generator's optimizer updates.</summary>
    public nn.Module GeneratorNetwork => generator;

    /// <summary>D, the network the critic's optimizer updates.</summary>
    public nn.Module CriticNetwork => critic;

    /// <summary>The moving average of G used by <see cref="Sample"/> and <see cref="Decode"/>.</summary>
    public nn.Module AverageNetwork => average;

    public Device Device => generator.parameters().First().device;

    /// <summary>Latent codes z ~ N(0, I), [count, Latent], on the model's device.</summary>
    public Tensor Latents(long count, Generator? random = null) =>
        GenerativeSharp.Runtime.SeededRandom.Normal([count, Options.Latent], ScalarType.Float32, Device, random);

    /// <summary>G(z) in data space, [B, ...event]; with gradients (training).</summary>
    public Tensor Generate(Tensor z)
    {
        using var scope = NewDisposeScope();
        return ToData(generator.forward(z)).MoveToOuterDisposeScope();
    }

    /// <summary>D(x): one real score per example (a logit for the minimax losses), [B].</summary>
    public Tensor Critic(Tensor x)
    {
        if (!x.shape.Skip(1).SequenceEqual(EventShape))
            throw new ArgumentException($"expected [B, {string.Join(", ", EventShape)}]; got [{string.Join(", ", x.shape)}].");
        using var scope = NewDisposeScope();
        return critic.forward(Options.IsImage ? x * 2 - 1 : x).MoveToOuterDisposeScope();
    }

    /// <summary>average = decay * average + (1 - decay) * G on parameters; buffers (batch-norm statistics) are copied.</summary>
    public void UpdateAverage(double decay)
    {
        using var noGrad = no_grad();
        foreach (var (a, g) in average.parameters().Zip(generator.parameters()))
            a.mul_(decay).add_(g, alpha: 1 - decay);
        foreach (var (a, g) in average.buffers().Zip(generator.buffers()))
            a.copy_(g);
    }

    public Tensor Sample(int count, Generator? random = null)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return Decode(Latents(count, random)).MoveToOuterDisposeScope();
    }

    /// <summary>The averaged generator's example for each code, [B, Latent] -> [B, ...event], in eval mode.</summary>
    public Tensor Decode(Tensor z)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        average.eval();
        return ToData(average.forward(z)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A GAN has no encoder: the code of x is found by inversion, 200 Adam steps on z minimising
    /// |Decode(z) - x|^2 + 1e-3 |z|^2 from z = 0 (as in Zhu et al., "Generative Visual Manipulation on the
    /// Natural Image Manifold", 2016). Deterministic.
    /// </summary>
    public Tensor Encode(Tensor x)
    {
        using var scope = NewDisposeScope();
        average.eval();
        var z = new TorchSharp.Modules.Parameter(zeros([x.shape[0], Options.Latent], device: x.device), requires_grad: true);
        using var optimizer = optim.Adam([z], lr: 0.05);
        using (enable_grad())
        {
            for (int i = 0; i < InversionSteps; i++)
            {
                using var step = NewDisposeScope();
                optimizer.zero_grad();
                Tensor loss = (ToData(average.forward(z)) - x).square().flatten(1).sum(1).mean() + 1e-3 * z.square().sum(1).mean();
                loss.backward();
                optimizer.step();
            }
        }
        return z.detach().MoveToOuterDisposeScope();
    }

    private Tensor ToData(Tensor output) => Options.IsImage ? (output + 1) / 2 : output;
}
