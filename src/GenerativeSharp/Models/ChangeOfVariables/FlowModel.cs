using GenerativeSharp.Bijectors;
using GenerativeSharp.Data;
using GenerativeSharp.Distributions;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.ChangeOfVariables;

/// <summary>
/// What every change-of-variables model shares: a <see cref="Flow"/> (standard normal base + a
/// bijector the concrete model builds) and, for 8-bit images, uniform dequantization (docs/evaluation.md):
/// training draws y = (k + u)/256 afresh at each step, and evaluation reports the bound
/// -log P(k) &lt;= E[-log p(y)] + D ln 256 (<see cref="IDequantizedModel"/>), whose bits/dim carries the +8.
/// On points the density is the flow's own. Latent codes are exact: Decode(Encode(x)) = x (images
/// are encoded at the centres of their bins and quantized back).
/// </summary>
public abstract class FlowModel : nn.Module, IDensityModel, IDequantizedModel, ITrainable, ILatentModel, ITemperedSampler
{
    /// <summary>Seed of the dequantization noise of <see cref="LogProb"/>.</summary>
    public const ulong EvaluationNoiseSeed = 20_181_010;

    private readonly Flow flow;

    protected FlowModel(string name, FlowOptions options, Bijector bijector) : base(name)
    {
        Options = options;
        flow = new Flow(options.EventShape, bijector);
        RegisterComponents();
    }

    public FlowOptions Options { get; }

    public long[] EventShape => Options.EventShape;

    public long[] LatentShape => flow.LatentShape;

    /// <summary>The flow (base + bijector) on the continuous (dequantized) data.</summary>
    public Flow Flow => flow;

    /// <summary>
    /// Log density in nats, [B]: exact on continuous data; on 8-bit images one draw of the
    /// dequantization bound, with the noise from a fixed seed (evaluation uses
    /// <see cref="DequantizedLogLikelihood"/> with fresh noise per batch instead).
    /// </summary>
    public Tensor LogProb(Tensor x)
    {
        CheckBatch(x);
        if (!Options.Dequantize) return flow.LogProb(x);
        using var scope = NewDisposeScope();
        using var generator = new Generator(EvaluationNoiseSeed, x.device);
        return DequantizedLogProb(x, generator).MoveToOuterDisposeScope();
    }

    /// <summary>-mean log p(batch) in nats; for images with fresh dequantization noise, and bits/dim as a metric.</summary>
    public StepResult Loss(Tensor batch, Generator? generator = null)
    {
        CheckBatch(batch);
        Tensor nll = -(Options.Dequantize ? DequantizedLogProb(batch, generator) : flow.LogProb(batch)).mean();
        var metrics = new Dictionary<string, Tensor> { ["nll"] = nll.detach() };
        if (Options.Dequantize) metrics["bits_per_dim"] = nll.detach() / (Options.Dimensions * Math.Log(2));
        return new StepResult(nll, metrics);
    }

    public Tensor Sample(int count, Generator? generator = null) => Sample(count, 1.0, generator);

    /// <summary>Draws [count, ...EventShape] with the base noise scaled by <paramref name="temperature"/>; images are clamped to [0, 1].</summary>
    public Tensor Sample(int count, double temperature, Generator? generator = null)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "need at least one sample");
        if (!(temperature > 0) || double.IsInfinity(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "expected a positive temperature");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor x = flow.Sample(count, temperature, generator);
        return (Options.Dequantize ? x.clamp(0, 1) : x).MoveToOuterDisposeScope();
    }

    /// <summary>The latent code of each example, [B, ...LatentShape] (images: of the centre of each pixel's bin).</summary>
    public Tensor Encode(Tensor x)
    {
        CheckBatch(x);
        using var scope = NewDisposeScope();
        return flow.Encode(Options.Dequantize ? Dequantization.Midpoint(x) : x).MoveToOuterDisposeScope();
    }

    /// <summary>The example of each latent code, [B, ...EventShape] (images: quantized back to 8-bit intensities k/255).</summary>
    public Tensor Decode(Tensor z)
    {
        using var scope = NewDisposeScope();
        Tensor x = flow.Decode(z);
        return (Options.Dequantize ? Dequantization.Quantize(x) : x).MoveToOuterDisposeScope();
    }

    public bool Dequantizes => Options.Dequantize;

    public Tensor DequantizedLogLikelihood(Tensor x, Generator? generator)
    {
        CheckBatch(x);
        if (!Options.Dequantize) throw new InvalidOperationException("this flow models continuous data: its LogProb is exact.");
        return DequantizedLogProb(x, generator);
    }

    private Tensor DequantizedLogProb(Tensor x, Generator? generator)
    {
        using var scope = NewDisposeScope();
        Tensor y = Dequantization.Uniform(x, generator);
        return (flow.LogProb(y) - Options.Dimensions * Dequantization.LogBinsPerDimension).MoveToOuterDisposeScope();
    }

    private void CheckBatch(Tensor x)
    {
        if (x.dim() != EventShape.Length + 1 || !x.shape.Skip(1).SequenceEqual(EventShape))
            throw new ArgumentException($"expected a batch [B, {string.Join(", ", EventShape)}]; got [{string.Join(", ", x.shape)}].");
    }
}
