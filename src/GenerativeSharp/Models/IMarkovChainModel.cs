using static TorchSharp.torch;

namespace GenerativeSharp.Models;

/// <summary>Models whose sampler is a Markov chain (RBM Gibbs sampling, GSN): the chain itself can be watched.</summary>
public interface IMarkovChainModel : IGenerativeModel
{
    /// <summary>
    /// Runs the chain from <paramref name="start"/> ([B, ...event]) and returns what it shows every
    /// <paramref name="thinning"/> steps after <paramref name="burnIn"/>: [snapshots, B, ...event].
    /// </summary>
    Tensor Chain(Tensor start, int burnIn, int snapshots, int thinning, Generator? generator = null);
}
