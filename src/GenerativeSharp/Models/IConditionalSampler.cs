using static TorchSharp.torch;

namespace GenerativeSharp.Models;

/// <summary>
/// Models that draw examples given a context (a class, a paired image), whatever their training
/// objective. Implemented only by instances that are conditional: an unconditional GAN or PixelCNN
/// is not a conditional sampler.
/// </summary>
public interface IConditionalSampler : IGenerativeModel
{
    /// <summary>What the context is.</summary>
    ContextKind Context { get; }

    /// <summary>How many classes a <see cref="ContextKind.ClassLabel"/> context indexes; 0 for other contexts.</summary>
    int Classes { get; }

    /// <summary>One example per context row: context [count, ...] -> [count, ...EventShape].</summary>
    Tensor Sample(Tensor context, Generator? generator = null);
}
