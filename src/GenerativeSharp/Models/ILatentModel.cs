using static TorchSharp.torch;

namespace GenerativeSharp.Models;

/// <summary>Models with a latent space to move in: interpolation, breeding.</summary>
public interface ILatentModel : IGenerativeModel
{
    /// <summary>The shape of one latent code, e.g. [20].</summary>
    long[] LatentShape { get; }

    /// <summary>A representative latent code per example (a posterior mean for a VAE), [batch, ...LatentShape].</summary>
    Tensor Encode(Tensor x);

    /// <summary>The example a latent code stands for (a likelihood mean for a VAE), [batch, ...EventShape].</summary>
    Tensor Decode(Tensor z);
}
