using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Translation;

/// <summary>
/// pix2pix (Isola et al., "Image-to-Image Translation with Conditional Adversarial Networks", CVPR 2017,
/// arXiv:1611.07004): a conditional GAN that models a target image given an input image, p(y | x). G is a
/// U-Net (<see cref="UnetGenerator"/>) whose only noise is dropout; D is a PatchGAN
/// (<see cref="PatchDiscriminator"/>) on the channel concatenation (x, y). G minimises the conditional GAN
/// loss plus lambda |y - G(x)|_1 (<see cref="Training.Pix2PixStep"/>). It is an implicit model with no
/// likelihood; it draws only given an input (<see cref="Translate"/>), so it is a conditional sampler with
/// a <see cref="ContextKind.PairedImage"/> context and no unconditional samples. Images in [0, 1] are seen
/// by both networks in [-1, 1]. Batch norm uses its running statistics at test time (the paper used the
/// test batch's statistics); dropout stays on, drawn from the given generator.
/// </summary>
public sealed class Pix2Pix : nn.Module, IConditionalSampler
{
    private readonly UnetGenerator generator;
    private readonly PatchDiscriminator discriminator;

    public Pix2Pix(Pix2PixOptions options) : base(nameof(Pix2Pix))
    {
        options.Validate();
        Options = options;
        generator = new UnetGenerator(options);
        discriminator = new PatchDiscriminator(options);
        RegisterComponents();
    }

    public Pix2PixOptions Options { get; }

    /// <summary>The target's shape [C_out, S, S]: what the model draws.</summary>
    public long[] EventShape => Options.TargetShape;

    /// <summary>The input's shape [C_in, S, S].</summary>
    public long[] InputShape => Options.InputShape;

    public ContextKind Context => ContextKind.PairedImage;

    public int Classes => 0;

    /// <summary>G, the network the generator's optimizer updates.</summary>
    public nn.Module GeneratorNetwork => generator;

    /// <summary>D, the network the discriminator's optimizer updates.</summary>
    public nn.Module DiscriminatorNetwork => discriminator;

    /// <summary>The side of the input patch each discriminator logit sees.</summary>
    public int ReceptiveField => PatchDiscriminator.ReceptiveField(Options.DiscriminatorLayers);

    public Device Device => generator.parameters().First().device;

    /// <summary>
    /// One output per input, in eval mode without gradients: inputs [B, C_in, S, S] in [0, 1] -> [B, C_out, S, S] in
    /// [0, 1]. The dropout noise comes from <paramref name="random"/> (the device's default generator when null).
    /// </summary>
    public Tensor Translate(Tensor inputs, Generator? random = null)
    {
        CheckInputs(inputs);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        generator.eval();
        Tensor x = inputs.to(ScalarType.Float32).to(Device) * 2 - 1;
        return ((generator.Forward(x, random) + 1) / 2).MoveToOuterDisposeScope();
    }

    Tensor IConditionalSampler.Sample(Tensor context, Generator? random) => Translate(context, random);

    /// <summary>pix2pix draws nothing without an input image: refused in one line.</summary>
    public Tensor Sample(int count, Generator? random = null) => throw new InvalidInputException(
        "pix2pix translates an input image and draws nothing without one: use 'gensharp translate DIR --image IN.png --out OUT.png' or '--test N'.");

    /// <summary>G(x) with gradients, in the networks' scale: x [B, C_in, S, S] in [-1, 1] -> [B, C_out, S, S] in (-1, 1).</summary>
    internal Tensor Generate(Tensor scaledInputs, Generator? random) => generator.Forward(scaledInputs, random);

    /// <summary>D's patch logits for (x, y), both in [-1, 1]: [B, C_in, S, S], [B, C_out, S, S] -> [B, 1, P, P].</summary>
    internal Tensor Discriminate(Tensor scaledInputs, Tensor scaledOutputs)
    {
        using var scope = NewDisposeScope();
        return discriminator.forward(cat([scaledInputs, scaledOutputs], 1)).MoveToOuterDisposeScope();   // [B, C_in + C_out, S, S] -> [B, 1, P, P]
    }

    /// <summary>The discriminator's logits on a pair of [0, 1] images (tests and inspection); D in its current mode.</summary>
    public Tensor Discriminator(Tensor inputs, Tensor outputs)
    {
        using var scope = NewDisposeScope();
        return Discriminate(inputs * 2 - 1, outputs * 2 - 1).MoveToOuterDisposeScope();
    }

    private void CheckInputs(Tensor inputs)
    {
        if (inputs.dim() != 4 || !inputs.shape.Skip(1).SequenceEqual(InputShape))
            throw new InvalidInputException($"pix2pix translates inputs [B, {string.Join(", ", InputShape)}]; got [{string.Join(", ", inputs.shape)}].");
    }
}
