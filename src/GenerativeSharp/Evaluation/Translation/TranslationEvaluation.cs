using System.Diagnostics;
using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Translation;
using static TorchSharp.torch;

namespace GenerativeSharp.Evaluation.Translation;

/// <summary>
/// Evaluates an image-to-image model (a <see cref="ContextKind.PairedImage"/> conditional sampler) on paired
/// test data: each input is translated once (with the noise of a seeded generator) and the outputs are
/// compared with the true targets by <see cref="ImageSimilarity"/> (L1, PSNR, SSIM per image, averaged) and by
/// the FID of the outputs against the targets (Heusel et al. 2017) on the embedded feature network that fits
/// the targets (by the hash of the target split, or of the input split when targets and inputs share a
/// network), as in Isola et al. 2017 (section 4.1) who judge outputs by their realism as well as by per-pixel
/// error. The identity baseline (output = input) is scored the same way when inputs and targets have one shape.
/// A <see cref="CycleGan"/> also gets its forward cycle error |F(G(a)) - a| on the test inputs. On unpaired domains
/// (<see cref="TensorDataset.TargetsPaired"/> false) there is no true output per input: only the FID of the outputs
/// against all of B's test images (and the identity's) and the cycle error are reported.
/// </summary>
public static class TranslationEvaluation
{
    /// <summary>Scores <paramref name="model"/>'s outputs for the first <paramref name="count"/> pairs of <paramref name="split"/>.</summary>
    /// <param name="data">the run's data: its description and identity choose the feature network</param>
    public static TranslationReport Evaluate(IConditionalSampler model, DataSplits data, TensorDataset split, long count, long seed, Device device)
    {
        if (model.Context != ContextKind.PairedImage)
            throw new ArgumentException("the model does not translate images.", nameof(model));
        if (split.Targets is not Tensor allTargets)
            throw new InvalidInputException("the data is not paired: translation metrics need each input's true output (--target DIR2).");
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        count = Math.Min(count, split.Count);
        if (count < 1) throw new InvalidInputException("no test pairs to evaluate.");
        bool paired = split.TargetsPaired;
        Tensor inputs = split.Examples.narrow(0, 0, count), targets = paired ? allTargets.narrow(0, 0, count) : allTargets;   // unpaired: all of B's test images
        Tensor outputs = Translate(model, inputs, seed, device).clamp(0, 1);                   // [N, C_out, S, S]
        FeatureNetworkInfo? network = NetworkFor(data, split, targets);
        string? note = network is null
            ? $"no feature network fits the targets [{string.Join(", ", targets.shape.Skip(1))}] (by their test split's hash); translation_fid left out"
            : null;
        using FeatureClassifier? features = network?.Load();
        Tensor? targetFeatures = features?.FeaturesOf(targets, CPU);                           // [N, 128]
        double? Fid(Tensor images) =>
            features is null || count < 2 ? null : FrechetDistance.Between(targetFeatures!, features.FeaturesOf(images, CPU));
        TranslationScores Score(Tensor images) => !paired ? new(null, null, null, Fid(images)) : new(
            ImageSimilarity.MeanAbsoluteError(images, targets).mean().item<double>(),
            ImageSimilarity.PeakSignalToNoise(images, targets).mean().item<double>(),
            ImageSimilarity.StructuralSimilarity(images, targets).mean().item<double>(),
            Fid(images));
        TranslationScores scored = Score(outputs);
        TranslationScores? identity = inputs.shape.Skip(1).SequenceEqual(targets.shape.Skip(1)) ? Score(inputs) : null;
        double? cycle = model is CycleGan cycleGan ? CycleL1(cycleGan, inputs) : null;
        return new TranslationReport(count, "a2b", scored, identity, network?.Name, note, clock.Elapsed.TotalSeconds, cycle) { Paired = paired };
    }

    /// <summary>The model's outputs for inputs [N, C_in, S, S], 100 at a time, on the CPU.</summary>
    public static Tensor Translate(IConditionalSampler model, Tensor inputs, long seed, Device device)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed, device);
        var parts = new List<Tensor>();
        for (long start = 0; start < inputs.shape[0]; start += 100)
        {
            using var batchScope = NewDisposeScope();
            parts.Add(model.Sample(inputs.narrow(0, start, Math.Min(100, inputs.shape[0] - start)).to(device), generator).cpu().MoveToOuterDisposeScope());
        }
        return cat(parts).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// CycleGAN's forward cycle error (Zhu et al. 2017, section 3.2): the mean over pixels of |F(G(a)) - a| on inputs
    /// [N, C_A, S, S] in [0, 1], 100 at a time.
    /// </summary>
    public static double CycleL1(CycleGan model, Tensor inputs)
    {
        using var scope = NewDisposeScope();
        double sum = 0;
        for (long start = 0; start < inputs.shape[0]; start += 100)
        {
            using var batchScope = NewDisposeScope();
            Tensor a = inputs.narrow(0, start, Math.Min(100, inputs.shape[0] - start));                 // [n, C_A, S, S]
            sum += (model.Reconstruct(a).cpu().clamp(0, 1) - a.cpu()).abs().to(ScalarType.Float64).sum().item<double>();
        }
        return sum / inputs.numel();
    }

    /// <summary>
    /// The embedded network whose input shape is the targets' and that fits the target split by its hash, or, failing
    /// that, the network of the data itself (by name or input-split hash) when it takes the targets' shape.
    /// </summary>
    private static FeatureNetworkInfo? NetworkFor(DataSplits data, TensorDataset split, Tensor targets)
    {
        long[] shape = [.. targets.shape.Skip(1)];
        if (split.Targets is not Tensor all) return null;
        using var targetSplit = new TensorDataset(all.alias(), null);
        string hash = DataFingerprint.Sha256(targetSplit);
        FeatureNetworkInfo? byTargets = FeatureNetworks.All.FirstOrDefault(n =>
            n.InputShape.SequenceEqual(shape) && n.IsEmbedded && n.FitsTestSha256.Contains(hash, StringComparer.OrdinalIgnoreCase));
        if (byTargets is not null) return byTargets;
        FeatureNetworkInfo? byData = FeatureNetworks.For(data);
        return byData is not null && byData.InputShape.SequenceEqual(shape) ? byData : null;
    }
}
