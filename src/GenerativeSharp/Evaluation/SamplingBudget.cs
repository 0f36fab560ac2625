using System.Diagnostics;
using System.Globalization;
using GenerativeSharp.Models;
using static TorchSharp.torch;

namespace GenerativeSharp.Evaluation;

/// <summary>
/// Whether the default sample count of an optional metric (sample quality, Parzen window) is worth
/// drawing: a pilot of <see cref="PilotSamples"/> samples is timed and scaled up, and when the full
/// draw would take longer than the training did (and more than a minute), the metric is skipped with
/// a note saying how to ask for it. Markov-chain samplers (an RBM's 1,000 Gibbs sweeps a sample) are
/// the usual case. A PixelCNN, which draws pixel by pixel, is skipped without a pilot (the pilot alone
/// would take minutes on a CPU). A count the user asked for is never skipped.
/// </summary>
public static class SamplingBudget
{
    /// <summary>Samples in the timed pilot draw.</summary>
    public const int PilotSamples = 32;

    /// <summary>A draw shorter than this is always affordable.</summary>
    public const double MinimumBudgetSeconds = 60;

    /// <summary>
    /// Null when <paramref name="count"/> samples fit the budget, else the note to print: e.g. "sample
    /// quality skipped: 10000 samples would take about 31 min (32 timed), more than the training's 35 s;
    /// ask with --quality-samples N".
    /// </summary>
    public static string? SkipNote(IGenerativeModel model, int count, double? trainingSeconds, string metric, string option, Device device)
    {
        if (model is Models.Autoregressive.PixelAutoregressiveModel)
            return $"{metric} skipped: a PixelCNN draws pixel by pixel (hours for {count} images on a CPU); ask with {option} N";
        if (count <= PilotSamples) return null;
        double estimate = EstimateSeconds(model, count, device);
        double budget = Math.Max(MinimumBudgetSeconds, trainingSeconds ?? 0);
        if (estimate <= budget) return null;
        string training = trainingSeconds is double t ? $"the training's {Duration(t)}" : "a minute (the run logs no training time)";
        return string.Create(CultureInfo.InvariantCulture,
            $"{metric} skipped: {count} samples would take about {Duration(estimate)} ({PilotSamples} timed), more than {training}; ask with {option} N");
    }

    /// <summary>Seconds to draw <paramref name="count"/> samples, from a timed pilot draw (a seeded generator; the samples are discarded).</summary>
    public static double EstimateSeconds(IGenerativeModel model, int count, Device device)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(1, device);
        (model as nn.Module)?.eval();
        using var noGrad = no_grad();
        var clock = Stopwatch.StartNew();
        model.Sample(PilotSamples, generator).cpu();
        return clock.Elapsed.TotalSeconds / PilotSamples * count;
    }

    private static string Duration(double seconds) => seconds switch
    {
        < 120 => $"{seconds:0} s",
        < 7200 => $"{seconds / 60:0} min",
        _ => $"{seconds / 3600:0.0} h",
    };
}
