using GenerativeSharp.Models.Diffusion.Samplers;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Diffusion;

/// <summary>
/// A class-conditional DDPM with classifier-free guidance (Ho and Salimans, "Classifier-Free Diffusion Guidance", 2022,
/// arXiv:2207.12598): the noise network adds a learned embedding of the class (N + 1 entries, the last the null class) to
/// its time embedding; in training each label becomes the null class with probability <see cref="DdpmOptions.LabelDropout"/>,
/// so the one network learns eps(x, t, c) and eps(x, t, null), and sampling may use the guided
/// (1 + w) eps(x, t, c) - w eps(x, t, null) (<see cref="ClassifierFreeGuidance"/>) with any sampler. Its unconditional
/// parts (<see cref="Ddpm.Sample(int, Generator?)"/>, the bound, <see cref="Ddpm.Encode"/> and <see cref="Ddpm.Decode"/>)
/// use the null class; breeding's class genes decode under a mixture of the class embeddings.
/// </summary>
public sealed class ConditionalDdpm : Ddpm, IConditionalTrainable, IClassMixingDecoder
{
    public ConditionalDdpm(DdpmOptions options) : base(options)
    {
        if (options.Classes < 1) throw new ArgumentException("a conditional DDPM needs classes >= 1.", nameof(options));
    }

    /// <summary>Class labels [B] in [0, Classes).</summary>
    public ContextKind Context => ContextKind.ClassLabel;

    public int Classes => Options.Classes;

    /// <summary>The index of the null class, N.</summary>
    public int NullClass => Options.Classes;

    /// <summary>The simple loss on x [B, ...event] given labels [B], each label dropped to the null class with the dropout probability.</summary>
    public StepResult Loss(Tensor x, Tensor context, Generator? generator = null)
    {
        Tensor labels = DropLabels(context.to(ScalarType.Int64).to(Device), generator);
        Tensor loss = DiffusionLoss.Simple((xt, t) => TrainedNetwork.Forward(xt, t, labels), Schedule, ToModelSpace(x), generator);
        return new StepResult(loss, new Dictionary<string, Tensor> { ["mse"] = loss.detach() });
    }

    /// <summary>labels [B] int64 with each one replaced by the null class with probability <see cref="DdpmOptions.LabelDropout"/> (u ~ U(0, 1) from <paramref name="generator"/>).</summary>
    public Tensor DropLabels(Tensor labels, Generator? generator)
    {
        using var scope = NewDisposeScope();
        Tensor dropped = Runtime.SeededRandom.Uniform([labels.shape[0]], ScalarType.Float32, labels.device, generator) < Options.LabelDropout;   // [B] bool
        return where(dropped, full_like(labels, NullClass), labels).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One example per label, labels [B] int64 in [0, Classes), by <paramref name="sampler"/> with guidance weight
    /// <paramref name="guidance"/> (0: the plain conditional model) -> [B, ...event].
    /// </summary>
    public Tensor SampleClasses(Tensor labels, double guidance, IDiffusionSampler sampler, Generator? generator = null, Action<int, int>? progress = null)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor y = CheckedLabels(labels);
        NoisePredictor guided = ClassifierFreeGuidance.Predictor(AverageNetwork.Forward, y, guidance);
        Tensor noise = Runtime.SeededRandom.Normal([y.shape[0], .. EventShape], ScalarType.Float32, Device, generator);   // x_T
        return Run(noise, sampler, guided, generator, progress).MoveToOuterDisposeScope();
    }

    /// <summary>One example per label with the default sampler and no guidance.</summary>
    Tensor IConditionalSampler.Sample(Tensor context, Generator? generator) => SampleClasses(context, 0, DefaultSampler, generator);

    /// <summary>As <see cref="Ddpm.Decode"/>, under a mixture of classes: codes [B, D], weights [B, Classes] with rows summing to 1.</summary>
    public Tensor DecodeClassMix(Tensor z, Tensor classWeights)
    {
        if (classWeights.dim() != 2 || classWeights.shape[0] != z.shape[0] || classWeights.shape[1] != Classes)
            throw new ArgumentException($"class weights must be [{z.shape[0]}, {Classes}]; got [{string.Join(", ", classWeights.shape)}].", nameof(classWeights));
        Tensor weights = classWeights.to(ScalarType.Float32).to(Device);
        return DecodeWith(z, (xt, t) => AverageNetwork.Forward(xt, t, weights));
    }

    private Tensor CheckedLabels(Tensor labels)
    {
        Tensor y = labels.to(ScalarType.Int64).to(Device);
        if (y.dim() != 1) throw new ArgumentException($"labels must be [B]; got [{string.Join(", ", y.shape)}].", nameof(labels));
        if (y.numel() > 0 && (y.min().item<long>() < 0 || y.max().item<long>() >= Classes))
            throw new InvalidInputException($"labels must lie in [0, {Classes - 1}].");
        return y;
    }
}
