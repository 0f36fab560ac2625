namespace GenerativeSharp.Data;

/// <summary>
/// How grey-scale intensities become 0/1 pixels for Bernoulli models (see docs/evaluation.md):
/// dynamic draws fresh bits every epoch, static draws them once with <see cref="Binarization.StaticSeed"/>.
/// </summary>
public enum BinarizationMode
{
    /// <summary>Keep the intensities as they are.</summary>
    None,

    /// <summary>A fresh Bernoulli draw of each pixel every epoch (training).</summary>
    Dynamic,

    /// <summary>One Bernoulli draw with a fixed seed, the same bits for every model (test sets).</summary>
    Static,
}
