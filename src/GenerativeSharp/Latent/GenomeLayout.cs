using GenerativeSharp.Models;
using static TorchSharp.torch;

namespace GenerativeSharp.Latent;

/// <summary>
/// How a model reads the genomes of <see cref="Breeding"/>: a flat latent code of <paramref name="Latent"/>
/// numbers, followed by <paramref name="Classes"/> class weights for a class-conditional GAN (0 otherwise).
/// <c>breed</c> and <c>interpolate --seeds</c> both decode through it, so a child bred on a conditional
/// model is read the same way everywhere.
/// </summary>
public sealed record GenomeLayout(int Latent, int Classes)
{
    /// <summary>The layout of <paramref name="model"/>; it must be an image model with a flat latent code.</summary>
    public static GenomeLayout Of(ILatentModel model, string use)
    {
        if (model.LatentShape.Length != 1 || model.EventShape.Length != 3)
            throw new InvalidInputException($"{use} needs an image model with a flat latent code.");
        int classes = model is IClassMixingDecoder mixing ? mixing.Classes : 0;
        return new GenomeLayout((int)model.LatentShape[0], classes);
    }

    /// <summary>The genome of a seed: a stored child's, else drawn from the seed (<see cref="Breeding.LatentOf"/>).</summary>
    public Tensor Of(Breeding book, long seed) => book.LatentOf(seed, Latent, Classes);

    /// <summary>Decodes genomes [B, Latent + Classes] to images [B, ...event] (the class genes as a mixture of classes).</summary>
    public Tensor Decode(ILatentModel model, Tensor genomes) => Classes == 0
        ? model.Decode(genomes)
        : ((IClassMixingDecoder)model).DecodeClassMix(genomes.narrow(1, 0, Latent), genomes.narrow(1, Latent, Classes));

    /// <summary>
    /// Points between two genomes [Latent + Classes]: the codes along <paramref name="path"/>, the class
    /// weights along a straight line (so they keep summing to 1): [steps, Latent + Classes].
    /// </summary>
    public Tensor Between(Tensor a, Tensor b, int steps, InterpolationPath path)
    {
        Tensor codes = LatentInterpolation.BetweenCodes(a.narrow(0, 0, Latent), b.narrow(0, 0, Latent), steps, path);
        if (Classes == 0) return codes;
        using var scope = NewDisposeScope();
        Tensor weights = LatentInterpolation.BetweenCodes(a.narrow(0, Latent, Classes), b.narrow(0, Latent, Classes), steps, InterpolationPath.Linear);
        return cat([codes, weights], 1).MoveToOuterDisposeScope();
    }
}
