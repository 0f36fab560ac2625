using System.Diagnostics;
using GenerativeSharp.Data;
using GenerativeSharp.Recipes;
using GenerativeSharp.Training;
using static TorchSharp.torch;

namespace GenerativeSharp.Benchmarks;

/// <summary>
/// Times a recipe's training step at its default batch size and its sampling throughput, on
/// synthetic data of the recipe's usual shape: warm-up, then the median of repeated runs. The
/// harness that performance work measures itself with.
/// </summary>
public static class RecipeBenchmark
{
    /// <summary>Default shape per data kind: 28x28 binary images, or 2-D points.</summary>
    public static long[] DefaultEventShape(DataKind kind) => kind == DataKind.Images ? [1, 28, 28] : [2];

    public static BenchmarkResult Run(IModelRecipe recipe, DataKind kind, Device device, int warmup = 5, int repeats = 30, int sampleCount = 64)
    {
        long[] eventShape = DefaultEventShape(kind);
        TrainingDefaults defaults = recipe.Defaults(kind);
        string options = recipe.ConfigureOptions(eventShape, kind, new Dictionary<string, string>());
        using ModelInstance model = ModelInstance.Create(recipe, options, seed: 0, device);
        ITrainingStep step = recipe.CreateStep(model.Module, defaults.LearningRate);
        using var dataGenerator = new Generator(1);
        long[] batchShape = new[] { (long)defaults.BatchSize }.Concat(eventShape).ToArray();
        using Tensor data = kind == DataKind.Images
            ? bernoulli(full(batchShape, 0.3f), dataGenerator).to(device)
            : randn(batchShape, generator: dataGenerator).to(device);
        using var generator = new Generator(2, device);

        model.Module.train();
        var stepTimes = Time(warmup, repeats, () =>
        {
            using var scope = NewDisposeScope();
            step.Step(data, generator);
        }, device);
        var sampleTimes = Time(2, Math.Max(5, repeats / 3), () =>
        {
            using var scope = NewDisposeScope();
            model.Model.Sample(sampleCount, generator);
        }, device);
        return new BenchmarkResult(recipe.Info.Name, device.type.ToString().ToLowerInvariant(), defaults.BatchSize,
            Median(stepTimes), Percentile(stepTimes, 0.1), Percentile(stepTimes, 0.9), repeats,
            Median(sampleTimes) / sampleCount, sampleCount);
    }

    private static double[] Time(int warmup, int repeats, Action action, Device device)
    {
        for (int i = 0; i < warmup; i++) action();
        var times = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            if (device.type == TorchSharp.DeviceType.CUDA) cuda.synchronize();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }
        return times;
    }

    private static double Median(double[] values) => Percentile(values, 0.5);

    private static double Percentile(double[] values, double q)
    {
        double[] sorted = values.OrderBy(v => v).ToArray();
        double position = q * (sorted.Length - 1);
        int low = (int)Math.Floor(position);
        int high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }
}

/// <summary>One recipe's timings in milliseconds.</summary>
public sealed record BenchmarkResult(
    string Recipe, string Device, int BatchSize, double StepMs, double StepMsP10, double StepMsP90, int Repeats,
    double SampleMsPerItem, int SampleBatch);
