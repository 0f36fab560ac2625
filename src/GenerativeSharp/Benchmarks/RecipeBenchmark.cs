using System.Diagnostics;
using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Recipes;
using GenerativeSharp.Runtime;
using GenerativeSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Benchmarks;

/// <summary>
/// Times training steps and sampling: each recipe at its default options and batch size on
/// synthetic data of its usual shape, and the <see cref="ConvStackProbe"/>. Warm-up, then each
/// repetition timed on its own; medians with 10th-90th percentile spreads. Besides the full step it
/// times forward + backward alone, our flat optimizer's step alone, and TorchSharp's own
/// torch.optim.Adam step on the same parameters (the baseline the flat optimizer replaces).
/// </summary>
public static class RecipeBenchmark
{
    public const string ConvStack = "conv-stack";

    /// <summary>The data a benchmark runs on by default: 28x28 grey-scale 8-bit images in 10 classes (binarized for binary-pixel models).</summary>
    public static DataDescription DefaultData { get; } = DataDescription.Images([1, 28, 28], DataDescription.NumberedClasses(10));

    /// <summary>The data an image-to-image recipe (pix2pix) runs on by default: 32x32 colour images paired with 32x32 colour targets.</summary>
    public static DataDescription PairedData { get; } = DataDescription.Images([3, 32, 32]) with { TargetShape = [3, 32, 32] };

    /// <summary><see cref="DefaultData"/>, or <see cref="PairedData"/> for a recipe that refuses it but takes paired images (pix2pix).</summary>
    public static DataDescription DataFor(IModelRecipe recipe) =>
        Configure(recipe, DefaultData) is null && Configure(recipe, PairedData) is not null ? PairedData : DefaultData;

    private static string? Configure(IModelRecipe recipe, DataDescription data)
    {
        try
        {
            return recipe.ConfigureOptions(data, new Dictionary<string, string>());
        }
        catch (InvalidInputException)
        {
            return null;
        }
    }

    public static BenchmarkResult Run(IModelRecipe recipe, DataDescription data, Device device, int warmup = 5, int repeats = 30, int sampleCount = 64)
    {
        long[] eventShape = data.EventShape;
        TrainingDefaults defaults = recipe.Defaults(data);
        string options = recipe.ConfigureOptions(data, new Dictionary<string, string>());
        using ModelInstance model = ModelInstance.Create(recipe, options, seed: 0, device);
        using var dataGenerator = new Generator(1);
        long[] batchShape = new[] { (long)defaults.BatchSize }.Concat(eventShape).ToArray();
        using Tensor batch = data.IsImage
            ? bernoulli(full(batchShape, 0.3f), dataGenerator).to(device)
            : randn(batchShape, generator: dataGenerator).to(device);
        if (model.Model is IConditionalSampler { Context: ContextKind.PairedImage } translator)
        {
            // An image-to-image model trains on (input, target) pairs and draws one output per input.
            using Tensor targets = 1 - batch;
            using Tensor inputs = bernoulli(full(new long[] { sampleCount }.Concat(eventShape).ToArray(), 0.3f), dataGenerator).to(device);
            return Measure(recipe.Info.Name, model.Module, recipe.CreateStep(model.Module, defaults.LearningRate), batch, device,
                warmup, repeats, count => translator.Sample(inputs.narrow(0, 0, count)), sampleCount, targets);
        }
        return Measure(recipe.Info.Name, model.Module, recipe.CreateStep(model.Module, defaults.LearningRate), batch, device,
            warmup, repeats, count => model.Model.Sample(count), sampleCount);
    }

    public static BenchmarkResult RunConvStack(Device device, int warmup = 5, int repeats = 30)
    {
        ConvStackProbe probe;
        lock (GlobalRandom.Lock)
        {
            manual_seed(0);
            probe = new ConvStackProbe();
        }
        using (probe)
        {
            probe.to(device);
            ConvolutionLayout.Prefer(probe, device);
            using Tensor batch = ConvStackProbe.Batch(device);
            return Measure(ConvStack, probe, new SingleObjectiveStep(probe, 1e-3), batch, device, warmup, repeats, null, 0);
        }
    }

    private static BenchmarkResult Measure(string name, nn.Module module, ITrainingStep step, Tensor batch, Device device,
        int warmup, int repeats, Func<int, Tensor>? sample, int sampleCount, Tensor? targets = null)
    {
        using var generator = new Generator(2, device);
        var flat = (step as SingleObjectiveStep)?.Optimizer;
        module.train();
        using Tensor labels = zeros([batch.shape[0]], ScalarType.Int64, device);   // class 0, for class-conditional models (cgan)
        // Slow workloads (a PixelCNN step on a CPU takes seconds) get fewer repeats: the first call sets the budget.
        repeats = Affordable(repeats, device, () => step.Step(new Batch(batch, labels, targets), generator));
        warmup = Math.Min(warmup, repeats);
        double[] stepTimes = Time(warmup, repeats, device, () => step.Step(new Batch(batch, labels, targets), generator));
        double[] forwardBackward = module is ITrainable trainable && flat is not null
            ? Time(warmup, repeats, device, () =>
            {
                flat.ZeroGrad();
                trainable.Loss(batch, generator).Loss.backward();
            })
            : [];
        double[] optimizerTimes = flat is null ? [] : Time(5, 30, device, flat.Step);
        using var baseline = optim.Adam(module.parameters(), lr: 1e-3);
        double[] baselineTimes = flat is null ? [] : Time(5, 30, device, () => baseline.step());
        double[] sampleTimes = [];
        if (sample is not null)
        {
            // Autoregressive models draw pixel by pixel: when one image takes over a second, time a batch of one.
            double single = Time(0, 1, device, () => sample(1))[0];
            if (single > 1000) sampleCount = 1;
            int sampleRepeats = Affordable(Math.Max(5, repeats / 3), device, () => sample(sampleCount));
            sampleTimes = Time(1, sampleRepeats, device, () => sample(sampleCount));
        }
        (step as IDisposable)?.Dispose();
        return new BenchmarkResult(name, device.type.ToString().ToLowerInvariant(), (int)batch.shape[0], module.parameters().Count(),
            Summary.Of(stepTimes), Summary.Of(forwardBackward), Summary.Of(optimizerTimes), Summary.Of(baselineTimes),
            sample is null ? null : Summary.Of(sampleTimes).Median / sampleCount, repeats, sample is null ? null : sampleCount);
    }

    /// <summary>At most <paramref name="repeats"/>, fewer when one call is slow: about 20 s of timing per measurement, at least 3 repeats.</summary>
    private static int Affordable(int repeats, Device device, Action action)
    {
        double first = Time(0, 1, device, action)[0];
        return Math.Min(repeats, Math.Max(3, (int)Math.Min(20_000 / Math.Max(first, 1e-3), int.MaxValue)));
    }

    private static double[] Time(int warmup, int repeats, Device device, Action action)
    {
        void Once()
        {
            using var scope = NewDisposeScope();
            action();
        }
        for (int i = 0; i < warmup; i++) Once();
        var times = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            Once();
            if (device.type == DeviceType.CUDA) cuda.synchronize();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }
        return times;
    }
}

/// <summary>Median and 10th / 90th percentiles (linear interpolation) of timings in ms.</summary>
public sealed record Summary(double Median, double P10, double P90)
{
    public static Summary Of(double[] values)
    {
        if (values.Length == 0) return new Summary(double.NaN, double.NaN, double.NaN);
        double[] sorted = values.OrderBy(v => v).ToArray();
        double At(double q)
        {
            double position = q * (sorted.Length - 1);
            int low = (int)Math.Floor(position);
            int high = Math.Min(low + 1, sorted.Length - 1);
            return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
        }
        return new Summary(At(0.5), At(0.1), At(0.9));
    }
}

/// <summary>One workload's timings in milliseconds.</summary>
public sealed record BenchmarkResult(
    string Recipe, string Device, int BatchSize, int ParameterTensors, Summary Step, Summary ForwardBackward,
    Summary OptimizerStep, Summary BaselineOptimizerStep, double? SampleMsPerItem, int Repeats, int? SampleBatch = null);
