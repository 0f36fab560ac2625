using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Translation;

/// <summary>
/// CycleGAN (Zhu et al., "Unpaired Image-to-Image Translation using Cycle-Consistent Adversarial Networks",
/// ICCV 2017, arXiv:1703.10593): two generators G: A -> B and F: B -> A (<see cref="ResnetGenerator"/>) and two
/// PatchGAN discriminators (<see cref="PatchDiscriminator"/> with instance norm, on single images): D_B tells real
/// b from G(a), D_A real a from F(b). Trained on unpaired images (<see cref="Training.CycleGanStep"/>): the
/// least-squares GAN losses plus lambda times the cycle-consistency L1 terms |F(G(a)) - a| and |G(F(b)) - b| and
/// 0.5 lambda times the identity terms |G(b) - b| and |F(a) - a|. Domain A is the run's <c>--data</c> folder,
/// domain B its <c>--target</c> folder; the pairing by relative path is never used in training. It is an implicit
/// model with no likelihood and no noise: as a conditional sampler with a <see cref="ContextKind.PairedImage"/>
/// context it maps A to B (<see cref="Translate"/> maps either way). Images in [0, 1] are seen in [-1, 1].
/// </summary>
public sealed class CycleGan : nn.Module, IUnpairedTranslator
{
    private readonly ResnetGenerator aToB, bToA;
    private readonly PatchDiscriminator criticA, criticB;

    public CycleGan(CycleGanOptions options) : base(nameof(CycleGan))
    {
        options.Validate();
        Options = options;
        aToB = new ResnetGenerator(options.InputShape[0], options.TargetShape[0], options.GeneratorWidth, options.ResidualBlocks);
        bToA = new ResnetGenerator(options.TargetShape[0], options.InputShape[0], options.GeneratorWidth, options.ResidualBlocks);
        criticA = new PatchDiscriminator(options.InputShape[0], options.DiscriminatorWidth, options.DiscriminatorLayers, instanceNorm: true);
        criticB = new PatchDiscriminator(options.TargetShape[0], options.DiscriminatorWidth, options.DiscriminatorLayers, instanceNorm: true);
        RegisterComponents();
    }

    public CycleGanOptions Options { get; }

    /// <summary>Domain B's shape [C_B, S, S]: what the model draws (direction a2b).</summary>
    public long[] EventShape => Options.TargetShape;

    /// <summary>Domain A's shape [C_A, S, S].</summary>
    public long[] InputShape => Options.InputShape;

    public ContextKind Context => ContextKind.PairedImage;

    public int Classes => 0;

    /// <summary>The parameters of G and F, which one optimizer moves together (one generator player).</summary>
    public IEnumerable<Parameter> GeneratorParameters => aToB.parameters().Concat(bToA.parameters());

    /// <summary>D_A, which tells real A images from F(b).</summary>
    public nn.Module CriticA => criticA;

    /// <summary>D_B, which tells real B images from G(a).</summary>
    public nn.Module CriticB => criticB;

    /// <summary>The side of the input patch each discriminator logit sees.</summary>
    public int ReceptiveField => PatchDiscriminator.ReceptiveField(Options.DiscriminatorLayers);

    public Device Device => aToB.parameters().First().device;

    /// <summary>
    /// One output per input, in eval mode without gradients: A images [B, C_A, S, S] in [0, 1] -> G(a) [B, C_B, S, S]
    /// in [0, 1] (<see cref="TranslationDirection.AToB"/>), or B images -> F(b) (<see cref="TranslationDirection.BToA"/>).
    /// Deterministic: CycleGAN has no noise.
    /// </summary>
    public Tensor Translate(Tensor inputs, TranslationDirection direction = TranslationDirection.AToB)
    {
        long[] shape = direction == TranslationDirection.AToB ? InputShape : EventShape;
        if (inputs.dim() != 4 || !inputs.shape.Skip(1).SequenceEqual(shape))
            throw new InvalidInputException($"cyclegan translates {(direction == TranslationDirection.AToB ? "A" : "B")} images [B, {string.Join(", ", shape)}]; " +
                $"got [{string.Join(", ", inputs.shape)}].");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        aToB.eval();
        bToA.eval();
        Tensor x = inputs.to(ScalarType.Float32).to(Device) * 2 - 1;
        return ((Generate(x, direction) + 1) / 2).MoveToOuterDisposeScope();
    }

    /// <summary>The forward cycle F(G(a)) of A images [B, C_A, S, S] in [0, 1], in [0, 1], without gradients.</summary>
    public Tensor Reconstruct(Tensor inputs)
    {
        using var scope = NewDisposeScope();
        return Translate(Translate(inputs, TranslationDirection.AToB), TranslationDirection.BToA).MoveToOuterDisposeScope();
    }

    Tensor IConditionalSampler.Sample(Tensor context, Generator? random) => Translate(context, TranslationDirection.AToB);

    /// <summary>CycleGAN draws nothing without an input image: refused in one line.</summary>
    public Tensor Sample(int count, Generator? random = null) => throw new InvalidInputException(
        "cyclegan translates an input image and draws nothing without one: use 'gensharp translate DIR --image IN.png --out OUT.png' or '--test N'.");

    /// <summary>G(x) or F(x) with gradients, in the networks' scale [-1, 1]: [B, C, S, S] -> [B, C', S, S].</summary>
    internal Tensor Generate(Tensor scaled, TranslationDirection direction) =>
        direction == TranslationDirection.AToB ? aToB.forward(scaled) : bToA.forward(scaled);

    /// <summary>D_A's (domain A) or D_B's (domain B) patch logits on images in [-1, 1]: [B, C, S, S] -> [B, 1, P, P].</summary>
    internal Tensor Discriminate(Tensor scaled, bool domainA) => domainA ? criticA.forward(scaled) : criticB.forward(scaled);
}
