using static TorchSharp.torch;

namespace GenerativeSharp.Models;

/// <summary>
/// A class-conditional latent model that decodes a code under a mixture of classes: the class input is
/// the weighted sum of the class embeddings instead of one of them. Breeding uses it for class genes
/// (GANBreeder, Simon 2018, mixed BigGAN's class vectors the same way).
/// </summary>
public interface IClassMixingDecoder : ILatentModel, IConditionalSampler
{
    /// <summary>z [B, ...LatentShape] and class weights [B, Classes] (rows summing to 1) -> [B, ...EventShape].</summary>
    Tensor DecodeClassMix(Tensor z, Tensor classWeights);
}
