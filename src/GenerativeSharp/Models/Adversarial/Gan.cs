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
/// With <see cref="AdversarialOptions.Classes"/> &gt; 0 the GAN is class-conditional: G sees a class embedding
/// next to z (Mirza and Osindero 2014, arXiv:1411.1784) and D is a projection discriminator (Miyato and
/// Koyama 2018, arXiv:1802.05637); see <see cref="ConditionalGenerator"/> and <see cref="ProjectionCritic"/>.
/// Such a GAN is a <see cref="ConditionalGan"/>, the only kind that is a conditional sampler (build either
/// with <see cref="Create"/>).
/// </summary>
public class Gan : nn.Module, IGenerativeModel, ILatentModel
{
    private const int InversionSteps = 200;

    private readonly nn.Module generator;
    private readonly nn.Module critic;
    private readonly nn.Module average;
    private readonly Training.WeightAverage averager;

    /// <summary>An unconditional GAN (options.Classes = 0).</summary>
    public Gan(AdversarialOptions options) : this(options, conditional: false) { }

    /// <summary>Builds the three networks; <paramref name="conditional"/> must match options.Classes &gt; 0.</summary>
    protected Gan(AdversarialOptions options, bool conditional) : base(nameof(Gan))
    {
        options.Validate();
        if (conditional != options.Classes > 0)
            throw new ArgumentException($"classes={options.Classes}: build a {(conditional ? nameof(Gan) : nameof(ConditionalGan))} (or use {nameof(Gan)}.{nameof(Create)}).", nameof(options));
        Options = options;
        (generator, critic, average) = options.Classes > 0
            ? ((nn.Module)new ConditionalGenerator(options), (nn.Module)new ProjectionCritic(options), (nn.Module)new ConditionalGenerator(options))
            : options.Architecture switch
        {
            GanArchitecture.Mlp => ((nn.Module<Tensor, Tensor>)new MlpGenerator(options), (nn.Module<Tensor, Tensor>)new MlpCritic(options),
                (nn.Module<Tensor, Tensor>)new MlpGenerator(options)),
            GanArchitecture.Conv => (new DcganGenerator(options), new DcganCritic(options), new DcganGenerator(options)),
            _ => throw new ArgumentOutOfRangeException(nameof(options)),
        };
        RegisterComponents();
        averager = new Training.WeightAverage(generator, average);
        averager.Update(decay: 0);
    }

    public AdversarialOptions Options { get; }

    /// <summary>A <see cref="ConditionalGan"/> when options.Classes &gt; 0, else an unconditional GAN.</summary>
    public static Gan Create(AdversarialOptions options) => options.Classes > 0 ? new ConditionalGan(options) : new Gan(options);

    public long[] EventShape => Options.EventShape;

    public long[] LatentShape => [Options.Latent];

    /// <summary>Number of classes G and D are conditioned on; 0 when unconditional.</summary>
    public int Classes => Options.Classes;

    /// <summary>G, the network the generator's optimizer updates.</summary>
    public nn.Module GeneratorNetwork => generator;

    /// <summary>D, the network the critic's optimizer updates.</summary>
    public nn.Module CriticNetwork => critic;

    /// <summary>The moving average of G used by <see cref="Sample(int, Generator)"/> and <see cref="Decode(Tensor)"/>.</summary>
    public nn.Module AverageNetwork => average;

    public Device Device => generator.parameters().First().device;

    /// <summary>Latent codes z ~ N(0, I), [count, Latent], on the model's device.</summary>
    public Tensor Latents(long count, Generator? random = null) =>
        GenerativeSharp.Runtime.SeededRandom.Normal([count, Options.Latent], ScalarType.Float32, Device, random);

    /// <summary>Labels drawn uniformly from [0, Classes), [count] int64, on the model's device.</summary>
    public Tensor RandomLabels(long count, Generator? random = null) =>
        GenerativeSharp.Runtime.SeededRandom.Integers(Classes, [count], ScalarType.Int64, Device, random);

    /// <summary>G(z[, y]) in data space, [B, ...event]; with gradients (training). Labels [B] are required when conditional.</summary>
    public Tensor Generate(Tensor z, Tensor? labels = null)
    {
        using var scope = NewDisposeScope();
        return ToData(Run(generator, z, labels)).MoveToOuterDisposeScope();
    }

    /// <summary>D(x[, y]): one real score per example (a logit for the minimax losses), [B]. Labels [B] are required when conditional.</summary>
    public Tensor Critic(Tensor x, Tensor? labels = null)
    {
        if (!x.shape.Skip(1).SequenceEqual(EventShape))
            throw new ArgumentException($"expected [B, {string.Join(", ", EventShape)}]; got [{string.Join(", ", x.shape)}].");
        using var scope = NewDisposeScope();
        return Run(critic, Options.IsImage ? x * 2 - 1 : x, labels).MoveToOuterDisposeScope();
    }

    /// <summary>average = decay * average + (1 - decay) * G on parameters; buffers (batch-norm statistics) are copied.</summary>
    public void UpdateAverage(double decay) => averager.Update(decay);

    /// <summary>count examples; a conditional GAN draws their classes uniformly.</summary>
    public Tensor Sample(int count, Generator? random = null)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor? labels = Classes > 0 ? RandomLabels(count, random) : null;
        return Decode(Latents(count, random), labels).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The averaged generator's example for each code, [B, Latent] -> [B, ...event], in eval mode. A conditional
    /// GAN without labels decodes every code as class 0, so that decoding stays deterministic.
    /// </summary>
    public Tensor Decode(Tensor z) => Decode(z, null);

    /// <summary>As <see cref="Decode(Tensor)"/>, given the classes [B] of a conditional GAN.</summary>
    public Tensor Decode(Tensor z, Tensor? labels)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        average.eval();
        return ToData(Run(average, z, DefaultLabels(z, labels))).MoveToOuterDisposeScope();
    }

    /// <summary>The averaged generator, in eval mode, and the map from its output to data space.</summary>
    protected (nn.Module Average, Func<Tensor, Tensor> ToData) AveragedGenerator()
    {
        average.eval();
        return (average, ToData);
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
                Tensor loss = (ToData(Run(average, z, DefaultLabels(z, null))) - x).square().flatten(1).sum(1).mean() + 1e-3 * z.square().sum(1).mean();
                loss.backward();
                optimizer.step();
            }
        }
        return z.detach().MoveToOuterDisposeScope();
    }

    private Tensor ToData(Tensor output) => Options.IsImage ? (output + 1) / 2 : output;

    private Tensor? DefaultLabels(Tensor z, Tensor? labels) =>
        labels ?? (Classes > 0 ? zeros([z.shape[0]], ScalarType.Int64, z.device) : null);

    /// <summary>Runs an unconditional network on x, or a conditional one on (x, labels).</summary>
    private static Tensor Run(nn.Module network, Tensor x, Tensor? labels) => network switch
    {
        nn.Module<Tensor, Tensor, Tensor> conditional => conditional.forward(
            x, labels ?? throw new InvalidInputException("this GAN is class-conditional: it needs labels.")),
        nn.Module<Tensor, Tensor> plain => plain.forward(x),
        _ => throw new InvalidOperationException($"unexpected network {network.GetType().Name}."),
    };
}
