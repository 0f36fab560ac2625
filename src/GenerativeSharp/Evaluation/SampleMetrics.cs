using GenerativeSharp.Data;
using GenerativeSharp.Models;
using static TorchSharp.torch;

namespace GenerativeSharp.Evaluation;

/// <summary>
/// Which sample-based numbers fit a dataset, for any model that samples: FID / KID / precision-recall on
/// images that have a feature network (<see cref="FeatureNetworks.For(DataSplits)"/>: by the data's name or the
/// hash of its test split, never its path), mode coverage on toy:8gaussians and toy:checkerboard.
/// </summary>
public static class SampleMetrics
{
    /// <summary>Whether <see cref="Quality"/> would score samples of <paramref name="data"/> (images with a feature network).</summary>
    public static bool HasQuality(DataSplits data) => data.Description.IsImage && FeatureNetworks.For(data) is not null;

    /// <summary>For images without a feature network, the one line that says so (<see cref="FeatureNetworks.NoneFitsNote"/>); else null.</summary>
    public static string? MissingQualityNote(DataSplits data) =>
        data.Description.IsImage && FeatureNetworks.For(data) is null ? FeatureNetworks.NoneFitsNote(data) : null;

    /// <summary>Sample quality against <paramref name="realImages"/> (un-binarized test images), or null when no feature network fits.</summary>
    public static SampleQualityReport? Quality(IGenerativeModel model, DataSplits data, Tensor realImages, int samples, long seed, Device device,
        Training.ProgressReporter? progress = null)
    {
        if (samples < 2 || !data.Description.IsImage) return null;
        FeatureNetworkInfo? network = FeatureNetworks.For(data);
        return network is null ? null : SampleQuality.Evaluate(model, realImages, network, samples, seed, device, progress);
    }

    /// <summary>Whether <see cref="Coverage"/> measures anything on <paramref name="data"/> (toy:8gaussians, toy:checkerboard).</summary>
    public static bool HasCoverage(DataSplits data) => data.Toy?.Name is "8gaussians" or "checkerboard";

    /// <summary>
    /// modes_covered and high_quality_share of <paramref name="samples"/> draws on toy:8gaussians (the 8 Gaussians) and
    /// toy:checkerboard (its 8 squares, <see cref="CheckerboardModes"/>), else null.
    /// </summary>
    public static ModeCoverageResult? Coverage(IGenerativeModel model, DataSplits data, int samples, long seed, Device device)
    {
        if (samples < 1 || !HasCoverage(data)) return null;
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed, device);
        (model as nn.Module)?.eval();
        Tensor drawn = model.Sample(samples, generator).cpu();                      // [N, 2]
        if (data.Toy!.Name == "checkerboard") return CheckerboardModes.Measure(drawn);
        using Tensor centres = EightGaussiansModes.Centres();
        return ModeCoverage.Measure(drawn, centres, EightGaussiansModes.Std);
    }
}
