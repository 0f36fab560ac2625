using GenerativeSharp.Data;
using GenerativeSharp.Imaging;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Translation;
using static TorchSharp.torch;

namespace GenerativeSharp.Training;

/// <summary>Pictures of a model's samples: a PNG grid for images, data-beside-samples scatter plots for 2-D points.</summary>
public static class SamplePictures
{
    /// <summary>The most images one grid takes (a 100 x 100 grid).</summary>
    public const int MaxImages = 10_000;

    /// <summary>The most points one scatter plot takes.</summary>
    public const int MaxPoints = 1_000_000;

    /// <summary>Refuses a count that no picture can show: over <see cref="MaxImages"/> images or <see cref="MaxPoints"/> points.</summary>
    public static void CheckCount(long[] eventShape, int count)
    {
        bool images = eventShape.Length == 3;
        int limit = images ? MaxImages : MaxPoints;
        if (count > limit)
            throw new InvalidInputException($"--count {count}: one picture shows at most {limit} {(images ? "images" : "points")}.");
    }

    /// <summary>Samples <paramref name="count"/> examples with <paramref name="seed"/> and writes the picture.</summary>
    /// <param name="temperature">latent temperature; other than 1 needs an <see cref="ITemperedSampler"/></param>
    /// <param name="draw">how to draw n examples with the generator (e.g. a chosen diffusion sampler); null: the model's Sample</param>
    public static void Write(string path, IGenerativeModel model, int count, long seed,
        TensorDataset? reference = null, string title = "model samples", double temperature = 1.0, Func<int, Generator, Tensor>? draw = null)
    {
        if (model is IConditionalSampler { Context: ContextKind.PairedImage } translator && reference?.Targets is not null)
        {
            WriteTranslations(path, translator, reference, Math.Min(count, 16), seed);
            return;
        }
        using var scope = NewDisposeScope();
        (model as nn.Module)?.eval();
        Device device = (model as nn.Module)?.parameters().FirstOrDefault()?.device ?? CPU;
        using var generator = new Generator((ulong)seed, device);
        CheckCount(model.EventShape, count);
        ITemperedSampler? tempered = temperature == 1.0 ? null
            : model as ITemperedSampler ?? throw new InvalidInputException("this model does not sample at a temperature; drop --temperature.");
        Tensor samples = ChunkedSampling.Draw(count, n => draw is not null ? draw(n, generator)
            : tempered is null ? model.Sample(n, generator) : tempered.Sample(n, temperature, generator));
        if (samples.dim() == 4)
        {
            int columns = (int)Math.Ceiling(Math.Sqrt(count));
            int scale = samples.shape[^1] <= 32 ? 2 : 1;
            ImageGrid.Write(path, samples, columns, padding: 2, scale: scale);
            return;
        }
        if (model is IDensityModel density && reference != null)
            DensityPictures.Write(path, density, samples, reference, title);
        else
            WriteScatter(path, samples, reference, title);
    }

    /// <summary>Samples <paramref name="count"/> examples of class <paramref name="label"/> from a class-conditional model and writes the picture.</summary>
    public static void WriteConditional(string path, IConditionalSampler model, int count, int label, long seed)
    {
        using var scope = NewDisposeScope();
        (model as nn.Module)?.eval();
        Device device = (model as nn.Module)?.parameters().FirstOrDefault()?.device ?? CPU;
        using var generator = new Generator((ulong)seed, device);
        CheckCount(model.EventShape, count);
        Tensor samples = ChunkedSampling.Draw(count, n => model.Sample(full(n, label, ScalarType.Int64, device: device), generator));
        if (samples.dim() == 4)
            ImageGrid.Write(path, samples, (int)Math.Ceiling(Math.Sqrt(count)), padding: 2, scale: samples.shape[^1] <= 32 ? 2 : 1);
        else
            WriteScatter(path, samples, null, $"model samples, class {label}");
    }

    /// <summary>
    /// <paramref name="count"/> samples of every class of a class-conditional image model, one row per class (class 0 on top),
    /// drawn by <paramref name="draw"/>(labels [n], generator) in chunks with <paramref name="seed"/>.
    /// </summary>
    public static void WritePerClass(string path, IConditionalSampler model, int count, long seed, Func<Tensor, Generator, Tensor> draw)
    {
        if (model.EventShape.Length != 3) throw new InvalidInputException("--per-class draws a grid of images; this model draws points.");
        CheckCount(model.EventShape, count * model.Classes);
        using var scope = NewDisposeScope();
        (model as nn.Module)?.eval();
        Device device = (model as nn.Module)?.parameters().FirstOrDefault()?.device ?? CPU;
        using var generator = new Generator((ulong)seed, device);
        Tensor labels = arange(model.Classes, ScalarType.Int64, device).repeat_interleave(count);   // [classes * count]: 0 0 .. 1 1 ..
        int drawn = 0;
        Tensor samples = ChunkedSampling.Draw(count * model.Classes, n =>
        {
            Tensor chunk = labels.narrow(0, drawn, n);
            drawn += n;
            return draw(chunk, generator);
        });
        ImageGrid.Write(path, samples, count, padding: 2, scale: samples.shape[^1] <= 32 ? 2 : 1);
    }

    /// <summary>
    /// An image-to-image model's outputs for the first min(<paramref name="count"/>, N) pairs of <paramref name="pairs"/>
    /// (at most 64), as rows input | output | truth (<see cref="TranslationFigure"/>), with the noise of <paramref name="seed"/>.
    /// </summary>
    public static void WriteTranslations(string path, IConditionalSampler model, TensorDataset pairs, int count, long seed,
        TranslationDirection direction = TranslationDirection.AToB)
    {
        CycleGan? backward = direction == TranslationDirection.AToB ? null : model as CycleGan
            ?? throw new InvalidInputException("this model translates only from A to B (it has no B -> A generator): drop --direction b2a.");
        if (pairs.Targets is not Tensor targets)
            throw new InvalidInputException("the data is not paired: a translation figure needs each input's true output (--target DIR2).");
        using var scope = NewDisposeScope();
        (model as nn.Module)?.eval();
        Device device = (model as nn.Module)?.parameters().FirstOrDefault()?.device ?? CPU;
        using var generator = new Generator((ulong)seed, device);
        long n = Math.Min(Math.Min(count, 64), pairs.Count);
        if (n < 1) throw new InvalidInputException("no pairs to translate.");
        Tensor inputs = pairs.Examples.narrow(0, 0, n), truths = pairs.TargetsPaired ? targets.narrow(0, 0, n) : targets.narrow(0, 0, Math.Min(n, targets.shape[0]));
        if (backward is not null) (inputs, truths) = (truths, inputs);                            // b2a: rows b | F(b) | its paired a (unpaired: B's first test images)
        Tensor outputs = backward is null ? model.Sample(inputs.to(device), generator).cpu() : backward.Translate(inputs, TranslationDirection.BToA).cpu();
        int scale = inputs.shape[^1] <= 32 ? 2 : 1;
        if (pairs.TargetsPaired) TranslationFigure.Write(path, inputs, outputs, truths, scale);
        else TranslationFigure.WriteColumns(path, [inputs, outputs], scale);                      // unpaired domains: no truth to show
    }

    /// <summary>
    /// A CycleGAN's two directions and its cycles (Zhu et al. 2017, figure 4) on the first min(<paramref name="count"/>, N, 64)
    /// test pairs: rows a | G(a) | F(G(a)) | b | F(b) | G(F(b)), where b is the a's counterpart in the target folder (for
    /// unpaired domains, the B test image of the same index).
    /// </summary>
    public static void WriteCycles(string path, CycleGan model, TensorDataset pairs, int count)
    {
        if (pairs.Targets is not Tensor targets)
            throw new InvalidInputException("the data is not paired: the cycle figure shows each test input with its counterpart (--target DIR2).");
        using var scope = NewDisposeScope();
        long n = Math.Min(Math.Min(count, 64), Math.Min(pairs.Count, targets.shape[0]));
        if (n < 1) throw new InvalidInputException("no pairs to translate.");
        Tensor a = pairs.Examples.narrow(0, 0, n), b = targets.narrow(0, 0, n);
        Tensor ab = model.Translate(a, TranslationDirection.AToB), ba = model.Translate(b, TranslationDirection.BToA);
        Tensor aba = model.Translate(ab, TranslationDirection.BToA), bab = model.Translate(ba, TranslationDirection.AToB);
        TranslationFigure.WriteColumns(path, [a, ab.cpu(), aba.cpu(), b, ba.cpu(), bab.cpu()], scale: a.shape[^1] <= 32 ? 2 : 1);
    }

    /// <summary>Data (left, when given) and samples (right) on the same axes.</summary>
    public static void WriteScatter(string path, Tensor samples, TensorDataset? reference, string title)
    {
        using var scope = NewDisposeScope();
        if (samples.dim() != 2 || samples.shape[1] != 2)
            throw new InvalidInputException($"scatter plots need 2-D points [N, 2]; got [{string.Join(", ", samples.shape)}].");
        double half = 4.5;
        var panels = new List<PlotPanel>();
        if (reference != null)
        {
            long shown = Math.Min(reference.Count, samples.shape[0]);
            Tensor data = reference.Examples.narrow(0, 0, shown);
            half = Math.Max(half, Math.Ceiling(data.abs().max().item<float>() * 1.05));
            panels.Add(new ScatterPanel("data", AxisLimits.Square(half), [PointSeries.FromTensor("data", data)]));
        }
        panels.Add(new ScatterPanel(title, AxisLimits.Square(half), [PointSeries.FromTensor("samples", samples)]));
        Plot2D.Panels(path, panels);
    }
}
