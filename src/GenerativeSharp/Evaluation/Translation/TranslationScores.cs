namespace GenerativeSharp.Evaluation.Translation;

/// <summary>
/// How close one set of outputs is to the true targets: mean L1 per pixel on [0, 1] intensities, PSNR in dB
/// and SSIM each per image then averaged over images, and the FID of the outputs against the targets
/// (null when no feature network fits). L1, PSNR and SSIM are null for unpaired domains (no true output per input).
/// </summary>
public sealed record TranslationScores(double? L1, double? Psnr, double? Ssim, double? Fid);

/// <summary>
/// The translation numbers of a run on its paired test split: the model's outputs and the identity baseline
/// (output = input) against the targets, on <paramref name="TestPairs"/> pairs, direction "a2b" (--data to
/// --target); <paramref name="FeatureNetwork"/> names the FID's network, or null with <paramref name="Note"/> saying why.
/// </summary>
public sealed record TranslationReport(long TestPairs, string Direction, TranslationScores Model, TranslationScores? Identity,
    string? FeatureNetwork, string? Note, double Seconds, double? CycleL1 = null)
{
    /// <summary>Whether each test input had its true output (false for unpaired domains: FID and the cycle only).</summary>
    public bool Paired { get; init; } = true;
}
