namespace GenerativeSharp.Models;

/// <summary>What a conditional model is conditioned on (its context, in the manner of nflows' <c>log_prob(x, context)</c>).</summary>
public enum ContextKind
{
    /// <summary>A class: int64 labels [B] in [0, Classes).</summary>
    ClassLabel,

    /// <summary>A paired image: float32 [B, C, H, W] in [0, 1] (the input of an image-to-image model).</summary>
    PairedImage,
}
