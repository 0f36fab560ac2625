using TorchSharp;
using System.Diagnostics;
using System.Globalization;
using GenerativeSharp.Models;
using static TorchSharp.torch;

namespace GenerativeSharp.Evaluation;

/// <summary>
/// Sample-quality numbers for any model that samples (EVALUATION.md, "Sample quality"): FID, KID and
/// precision / recall (k = 3) of N model samples against the real test images, on the penultimate
/// features of our own classifier, with the real-vs-real floor (two disjoint halves of the test set,
/// each against the other). Real images are the grayscale test images in [0, 1], never binarized.
/// Models with a Bernoulli likelihood sample pixel probabilities (their mean image), which are compared
/// as grayscale intensities: under dynamic binarization the probability estimates the intensity.
/// </summary>
public static class SampleQuality
{
    /// <summary>Samples <paramref name="samples"/> examples in batches of 500 with a seeded generator and scores them.</summary>
    public static SampleQualityReport Evaluate(IGenerativeModel model, Tensor realImages, FeatureNetworkInfo network, int samples,
        long seed, Device device)
    {
        if (samples < 2) throw new ArgumentOutOfRangeException(nameof(samples), samples, "need at least 2 samples");
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        using FeatureClassifier features = network.Load();
        features.to(device);
        Tensor real = features.FeaturesOf(realImages, device);                        // [R, 128]
        using var generator = new Generator((ulong)seed, device);
        (model as nn.Module)?.eval();
        var parts = new List<Tensor>();
        for (int start = 0; start < samples; start += 500)
        {
            using var batchScope = NewDisposeScope();
            Tensor drawn = model.Sample(Math.Min(500, samples - start), generator).clamp(0, 1);
            parts.Add(features.FeaturesOf(drawn, device).MoveToOuterDisposeScope());
        }
        Tensor generated = cat(parts);                                                 // [N, 128]
        MetricSet model_ = MetricSet.Between(real, generated, seed);
        long half = real.shape[0] / 2;
        MetricSet floor = MetricSet.Between(real.narrow(0, 0, half), real.narrow(0, half, half), seed);
        return new SampleQualityReport(network.Name, samples, real.shape[0], model_, floor, clock.Elapsed.TotalSeconds);
    }
}

/// <summary>FID, KID and precision / recall of one pair of feature sets.</summary>
public sealed record MetricSet(double Fid, KernelDistanceResult Kid, PrecisionRecallResult PrecisionRecall)
{
    public static MetricSet Between(Tensor real, Tensor generated, long seed) => new(
        FrechetDistance.Between(real, generated),
        KernelDistance.Between(real, generated, seed: seed),
        Evaluation.PrecisionRecall.Between(real, generated));
}

/// <summary>Sample-quality numbers of a model and the real-vs-real floor, with the labels EVALUATION.md asks for.</summary>
public sealed record SampleQualityReport(string FeatureNetwork, int Samples, long RealExamples, MetricSet Model, MetricSet Floor, double Seconds)
{
    /// <summary>E.g. "FID (FMNIST-CNN features, N = 10000 vs test)".</summary>
    public string Label(string metric) => string.Create(CultureInfo.InvariantCulture,
        $"{metric} ({FeatureNetwork} features, N = {Samples} vs test {RealExamples})");

    /// <summary>The floor's label: two disjoint halves of the real test set.</summary>
    public string FloorLabel(string metric) => string.Create(CultureInfo.InvariantCulture,
        $"{metric} real-vs-real floor ({FeatureNetwork} features, {RealExamples / 2} vs {RealExamples / 2} test)");
}
