using TorchSharp;
using System.Diagnostics;
using System.Globalization;
using GenerativeSharp.Models;
using GenerativeSharp.Training;
using static TorchSharp.torch;

namespace GenerativeSharp.Evaluation;

/// <summary>
/// Sample-quality numbers for any model that samples (docs/evaluation.md, "Sample quality"): FID, KID
/// and precision / recall (k = 3) on the penultimate features of our own classifier. FID and the others
/// are biased by the set sizes, so the model and the real-vs-real floor are scored at the same sizes:
/// the test set is dealt by a fixed random permutation into two disjoint halves A and B, the model's n samples are compared with A,
/// and the floor compares n images of B with A (n = min(samples, |A|)). Real images are the test
/// images in [0, 1] (grey or colour, the shape of the network's input), never binarized. Models with a Bernoulli likelihood sample pixel
/// probabilities (their mean image), which are compared as grayscale intensities: under dynamic
/// binarization the probability estimates the intensity.
/// </summary>
public static class SampleQuality
{
    /// <summary>The sample count that <paramref name="requested"/> becomes with <paramref name="realExamples"/> test images: at most half of them.</summary>
    public static int SampleCount(int requested, long realExamples) => (int)Math.Min(requested, realExamples / 2);

    /// <summary>Seed of the fixed permutation that deals the test images into the halves A and B.</summary>
    public const ulong HalvesSeed = 20261205;

    /// <summary>
    /// The order in which the test images are dealt into A (first half) and B: one fixed random
    /// permutation of <paramref name="count"/> indices, the same for every model and every eval, so
    /// that a test set stored class by class (an image folder) still gives two halves with the same
    /// mix of classes.
    /// </summary>
    public static Tensor HalvesOrder(long count, Device device)
    {
        using var generator = new Generator(HalvesSeed);
        return randperm(count, generator: generator).to(device);
    }

    /// <summary>Samples min(<paramref name="samples"/>, half the test set) examples in batches of 500 with a seeded generator and scores them.</summary>
    public static SampleQualityReport Evaluate(IGenerativeModel model, Tensor realImages, FeatureNetworkInfo network, int samples,
        long seed, Device device, ProgressReporter? progress = null)
    {
        int n = SampleCount(samples, realImages.shape[0]);
        if (n < 2) throw new ArgumentOutOfRangeException(nameof(samples), samples, "need at least 2 samples and 4 test images");
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        using FeatureClassifier features = network.Load();
        features.to(device);
        long half = realImages.shape[0] / 2;
        progress?.Report("quality features", 0, realImages.shape[0], "test images", force: true);
        Tensor real = features.FeaturesOf(realImages, device).index_select(0, HalvesOrder(realImages.shape[0], device));  // [R, 128]
        Tensor reference = real.narrow(0, 0, half);                                   // A: [R/2, 128]
        Tensor otherReal = real.narrow(0, half, n);                                   // n images of B: [n, 128]
        using var generator = new Generator((ulong)seed, device);
        (model as nn.Module)?.eval();
        var parts = new List<Tensor>();
        var sampling = new Stopwatch();
        for (int start = 0; start < n; start += 500)
        {
            using var batchScope = NewDisposeScope();
            sampling.Start();
            Tensor drawn = model.Sample(Math.Min(500, n - start), generator).clamp(0, 1);
            sampling.Stop();
            parts.Add(features.FeaturesOf(drawn, device).MoveToOuterDisposeScope());
            progress?.Report("quality samples", Math.Min(start + 500, n), n, "drawn and featurised");
        }
        progress?.Finish();
        Tensor generated = cat(parts);                                                 // [n, 128]
        MetricSet model_ = MetricSet.Between(reference, generated, seed);
        MetricSet floor = MetricSet.Between(reference, otherReal, seed);
        return new SampleQualityReport(network.Name, n, half, model_, floor, clock.Elapsed.TotalSeconds, sampling.Elapsed.TotalSeconds);
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

/// <summary>
/// Sample-quality numbers of a model and the real-vs-real floor, each with its set sizes: the model's
/// <paramref name="Samples"/> samples and the floor's as many test images of one half, both against the
/// <paramref name="ReferenceExamples"/> test images of the other half. <paramref name="SamplingSeconds"/>: the wall time of the
/// model's draws alone (without the feature network).
/// </summary>
public sealed record SampleQualityReport(string FeatureNetwork, int Samples, long ReferenceExamples, MetricSet Model, MetricSet Floor, double Seconds,
    double SamplingSeconds = double.NaN)
{
    /// <summary>E.g. "FID (FMNIST-CNN features, 5000 samples vs 5000 test images)".</summary>
    public string Label(string metric) => string.Create(CultureInfo.InvariantCulture,
        $"{metric} ({FeatureNetwork} features, {Samples} samples vs {ReferenceExamples} test images)");

    /// <summary>E.g. "FID real-vs-real floor (FMNIST-CNN features, 5000 test images vs 5000 other test images)".</summary>
    public string FloorLabel(string metric) => string.Create(CultureInfo.InvariantCulture,
        $"{metric} real-vs-real floor ({FeatureNetwork} features, {Samples} test images vs {ReferenceExamples} other test images)");
}
