using GenerativeSharp.Runtime;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Translation;

/// <summary>
/// Dropout 0.5 drawn from a given generator, in training and at test time alike: pix2pix's only source of
/// noise (Isola et al. 2017, section 3.1: "we provide noise only in the form of dropout, applied on several
/// layers of our generator at both training and test time"). Kept elements are scaled by 2.
/// </summary>
internal static class PaperNoise
{
    public const double Rate = 0.5;

    /// <summary>h with each element zeroed with probability 0.5 and the rest doubled; same shape.</summary>
    public static Tensor Dropout(Tensor h, Generator? generator)
    {
        using var scope = NewDisposeScope();
        Tensor keep = SeededRandom.Uniform(h.shape, h.dtype, h.device, generator).ge(Rate).to(h.dtype);   // [B, C, H, W] of 0 / 1
        return (h * keep / (1 - Rate)).MoveToOuterDisposeScope();
    }
}
