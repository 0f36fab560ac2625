using static TorchSharp.torch;

namespace GenerativeSharp.Models.Adversarial;

/// <summary>
/// A class-conditional GAN: G sees a class embedding next to z (Mirza and Osindero 2014,
/// arXiv:1411.1784) and D is a projection discriminator (Miyato and Koyama 2018, arXiv:1802.05637).
/// It samples given a class and decodes codes under a mixture of classes (GANBreeder's class genes).
/// </summary>
public sealed class ConditionalGan(AdversarialOptions options) : Gan(options, conditional: true), IClassMixingDecoder
{
    /// <summary>Class labels [B] in [0, Classes).</summary>
    public ContextKind Context => ContextKind.ClassLabel;

    /// <summary>
    /// One example of each given class, labels [count] int64 in [0, Classes) -> [count, ...event]. (Not an
    /// overload of Sample: TorchSharp converts an int to a Tensor, so Sample(7) would pick it.)
    /// </summary>
    public Tensor SampleClasses(Tensor labels, Generator? generator = null)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor y = labels.to(ScalarType.Int64).to(Device);
        return Decode(Latents(y.shape[0], generator), y).MoveToOuterDisposeScope();
    }

    Tensor IConditionalSampler.Sample(Tensor context, Generator? generator) => SampleClasses(context, generator);

    /// <summary>As <see cref="Gan.Decode(Tensor, Tensor?)"/>, under a mixture of classes: weights [B, Classes], rows summing to 1.</summary>
    public Tensor DecodeClassMix(Tensor z, Tensor classWeights)
    {
        if (classWeights.dim() != 2 || classWeights.shape[0] != z.shape[0] || classWeights.shape[1] != Classes)
            throw new ArgumentException($"class weights must be [{z.shape[0]}, {Classes}]; got [{string.Join(", ", classWeights.shape)}].", nameof(classWeights));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (average, toData) = AveragedGenerator();
        return toData(((ConditionalGenerator)average).ForwardMixed(z, classWeights)).MoveToOuterDisposeScope();
    }
}
