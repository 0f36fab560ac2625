namespace GenerativeSharp.Models;

/// <summary>
/// A model whose options freeze some of its parts, so that they must be copied from a trained run (<c>train --init-from DIR</c>)
/// instead of starting at random: e.g. a VQ-VAE that trains its prior alone on a trained autoencoder's fixed codes.
/// </summary>
public interface IInitialisedParts
{
    /// <summary>Prefixes of the state-dict names (parameters and buffers) that must come from the run given to --init-from; empty when none.</summary>
    IReadOnlyList<string> PartsToInitialise { get; }

    /// <summary>The one-line reason, for the refusal when no --init-from is given.</summary>
    string InitialisationReason { get; }
}
