using GenerativeSharp.Models.Diffusion.Samplers;
using GenerativeSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Diffusion;

/// <summary>
/// A denoising diffusion probabilistic model (Ho, Jain and Abbeel, "Denoising Diffusion Probabilistic Models", NeurIPS
/// 2020, arXiv:2006.11239): a fixed forward process adds Gaussian noise over T steps (<see cref="NoiseSchedule"/>), a
/// network eps_theta(x_t, t) learns the noise with the simple loss (<see cref="DiffusionLoss"/>), and the reverse process
/// samples (<see cref="AncestralSampler"/>, or <see cref="DdimSampler"/>, Song et al. 2021, arXiv:2010.02502). It is a
/// latent-variable model with a variational bound (<see cref="DiffusionBound"/>). Sampling and the bound use an
/// exponential moving average of the weights (<see cref="WeightAverage"/>), kept as a second network so checkpoints hold
/// it. Images in [0, 1] are modelled in [-1, 1]; <see cref="IGenerativeModel.Sample"/> uses DDIM with 50 steps
/// (fewer when T &lt; 50) and eta 0. Its latent space is the deterministic DDIM one (Song et al. sec. 4.3, 5.3): a code is
/// the starting noise x_T, flattened, <see cref="Decode"/> runs that sampler from it and <see cref="Encode"/> runs it
/// backwards. A class-conditional model is a <see cref="ConditionalDdpm"/>.
/// </summary>
public class Ddpm : nn.Module, IDiffusionModel, IVariationalBoundModel, ITrainable, ILatentModel
{
    /// <summary>Steps of the default sampler (DDIM, eta 0).</summary>
    public const int DefaultSamplingSteps = 50;

    /// <summary>Time steps an evaluation draws per image when not told.</summary>
    public const int DefaultImageBoundTimesteps = 10;

    /// <summary>Time steps an evaluation draws per vector when not told.</summary>
    public const int DefaultVectorBoundTimesteps = 100;

    private readonly NoiseNetwork network;
    private readonly NoiseNetwork average;
    private readonly WeightAverage averager;

    public Ddpm(DdpmOptions options) : base(nameof(Ddpm))
    {
        options.Validate();
        if (options.Classes > 0 && GetType() == typeof(Ddpm))
            throw new ArgumentException($"classes={options.Classes}: build a {nameof(ConditionalDdpm)}.", nameof(options));
        Options = options;
        Schedule = options.Schedule == ScheduleKind.Cosine ? NoiseSchedule.Cosine(options.Timesteps) : NoiseSchedule.Linear(options.Timesteps);
        network = Build(options);
        average = Build(options);
        RegisterComponents();
        averager = new WeightAverage(network, average);
        averager.Update(decay: 0);
    }

    public DdpmOptions Options { get; }

    public NoiseSchedule Schedule { get; }

    public long[] EventShape => Options.EventShape;

    public int BoundTerms => Options.Timesteps;

    public int DefaultBoundTimesteps => Math.Min(Options.IsImage ? DefaultImageBoundTimesteps : DefaultVectorBoundTimesteps, Options.Timesteps);

    public IDiffusionSampler DefaultSampler => LatentSampler;

    public IDiffusionSampler AncestralSampler => new AncestralSampler(Options.Variance);

    /// <summary>The trained network's noise prediction (with gradients; the null class of a conditional model).</summary>
    public NoisePredictor Predictor => (xt, t) => network.forward(xt, t);

    /// <summary>The moving average's noise prediction, used to sample and to evaluate (the null class of a conditional model).</summary>
    public NoisePredictor AveragePredictor => (xt, t) => average.forward(xt, t);

    /// <summary>A DDIM code is x_T flattened: [C * S * S] for images, [D] for vectors.</summary>
    public long[] LatentShape => [EventShape.Aggregate(1L, (a, b) => a * b)];

    /// <summary>The trained network, with its class context.</summary>
    protected NoiseNetwork TrainedNetwork => network;

    /// <summary>The moving average, which samples and evaluates.</summary>
    protected NoiseNetwork AverageNetwork => average;

    /// <summary>The simple loss on a batch of data [B, ...event].</summary>
    public StepResult Loss(Tensor batch, Generator? generator = null)
    {
        Tensor loss = DiffusionLoss.Simple(Predictor, Schedule, ToModelSpace(batch), generator);
        return new StepResult(loss, new Dictionary<string, Tensor> { ["mse"] = loss.detach() });
    }

    /// <summary>average = decay * average + (1 - decay) * network.</summary>
    public void UpdateAverage(double decay) => averager.Update(decay);

    public Tensor Sample(int count, Generator? generator = null) => Sample(count, DefaultSampler, generator);

    public Tensor Sample(int count, IDiffusionSampler sampler, Generator? generator = null, Action<int, int>? progress = null)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor noise = Runtime.SeededRandom.Normal([count, .. EventShape], ScalarType.Float32, Device, generator);   // x_T
        return Run(noise, sampler, AveragePredictor, generator, progress).MoveToOuterDisposeScope();
    }

    /// <summary>The DDIM code of each example, x [B, ...event] -> x_T [B, D] (<see cref="DdimSampler.Encode"/>, the default steps).</summary>
    public Tensor Encode(Tensor x)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        average.eval();
        Tensor z = LatentSampler.Encode(AveragePredictor, Schedule, ToModelSpace(x), clip: false);   // [B, ...event]
        return z.reshape(x.shape[0], LatentShape[0]).MoveToOuterDisposeScope();                     // -> [B, D]
    }

    /// <summary>The example a code stands for: DDIM (eta 0, the default steps) from x_T = z [B, D] -> [B, ...event].</summary>
    public Tensor Decode(Tensor z) => DecodeWith(z, AveragePredictor);

    /// <summary>Deterministic DDIM from codes z [B, D] under <paramref name="predictor"/>.</summary>
    protected Tensor DecodeWith(Tensor z, NoisePredictor predictor)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var unused = new Generator(0, Device);                                                     // eta 0 draws nothing that counts
        Tensor xT = z.to(ScalarType.Float32).to(Device).reshape([z.shape[0], .. EventShape]);          // [B, D] -> [B, ...event]
        return Run(xT, LatentSampler, predictor, unused, progress: null).MoveToOuterDisposeScope();
    }

    /// <summary>The sampler of the latent space: DDIM, eta 0, <see cref="DefaultSamplingSteps"/> steps (fewer when T &lt; 50).</summary>
    public DdimSampler LatentSampler => new(Math.Min(DefaultSamplingSteps, Options.Timesteps), eta: 0);

    /// <summary>The reverse process from x_T [B, ...event] (model space) under <paramref name="predictor"/>, back in data space.</summary>
    protected Tensor Run(Tensor xT, IDiffusionSampler sampler, NoisePredictor predictor, Generator? generator, Action<int, int>? progress)
    {
        average.eval();
        Tensor x = DiffusionSampling.Run(sampler, predictor, Schedule, xT, generator, clip: Options.IsImage, progress);
        return FromModelSpace(x);
    }

    public Tensor NegativeBound(Tensor x, int timesteps, Generator? generator = null)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        average.eval();
        Tensor bound = DiffusionBound.Negative(AveragePredictor, Schedule, Options.Variance, ToModelSpace(x), Options.Levels, timesteps, generator);
        // continuous images: x = (y + 1) / 2, so log p(x) = log p(y) + D ln 2
        if (Options.IsImage && Options.Levels == 0) bound = bound - EventShape.Aggregate(1L, (a, b) => a * b) * Math.Log(2);
        return bound.MoveToOuterDisposeScope();
    }

    /// <summary>The device of the model's parameters.</summary>
    public Device Device => parameters().First().device;

    /// <summary>Images in [0, 1] to [-1, 1]; vectors as they are.</summary>
    public Tensor ToModelSpace(Tensor x)
    {
        if (!x.shape.Skip(1).SequenceEqual(EventShape))
            throw new ArgumentException($"expected a batch [B, {string.Join(", ", EventShape)}]; got [{string.Join(", ", x.shape)}].");
        return Options.IsImage ? x * 2 - 1 : x.alias();
    }

    /// <summary>Images from [-1, 1] back to [0, 1]; vectors as they are.</summary>
    public Tensor FromModelSpace(Tensor x) => Options.IsImage ? ((x + 1) / 2).clamp(0, 1) : x.alias();

    private static NoiseNetwork Build(DdpmOptions options) => options.Network switch
    {
        DiffusionNetwork.Mlp => new MlpNoiseNetwork(options.EventShape.Aggregate(1L, (a, b) => a * b), options.Hidden, options.Depth, options.Classes),
        _ => new UNetNoiseNetwork(options.EventShape[0], options.EventShape[1], options.Channels, options.Attention, options.Classes),
    };
}
