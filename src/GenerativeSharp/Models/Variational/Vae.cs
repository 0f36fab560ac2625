using GenerativeSharp.Data;
using GenerativeSharp.Distributions;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Variational;

/// <summary>
/// Variational autoencoder: an encoder gives a diagonal-Gaussian posterior q(z | x), a decoder gives
/// the likelihood p(x | z) (Bernoulli for binarized images, Gaussian for continuous data), the prior
/// is N(0, I). On 8-bit images the Gaussian decoder can model the data dequantized (y = (k + u) / 256,
/// Theis et al. 2016), so that its bounds, less D ln 256, bound log P(k) as the flows' do. Trained on the ELBO, optionally with a KL weight (beta-VAE), or on the
/// importance-weighted bound with k samples (IWAE); evaluated with the importance-sampled estimate.
/// References: Kingma and Welling, "Auto-Encoding Variational Bayes", 2014 (arXiv:1312.6114);
/// Burda, Grosse and Salakhutdinov, "Importance Weighted Autoencoders", 2016 (arXiv:1509.00519);
/// Higgins et al., "beta-VAE", ICLR 2017.
/// </summary>
public sealed class Vae : nn.Module, ILowerBoundModel, ILatentModel, ITrainable
{
    private const int ImportanceChunkElements = 4_000_000;   // k-chunk size bound for evaluation memory

    private readonly VaeEncoder encoder;
    private readonly VaeDecoderNet decoder;
    private readonly StandardNormal prior;
    private readonly long dimensions;

    public Vae(VaeOptions options) : base(nameof(Vae))
    {
        options.Validate();
        Options = options;
        dimensions = options.EventShape.Aggregate(1L, (a, b) => a * b);
        int parametersPerCoordinate = options.Decoder == VaeDecoder.Gaussian ? 2 : 1;
        (encoder, decoder) = options.Network switch
        {
            VaeNetwork.Mlp => ((VaeEncoder)new MlpEncoder(dimensions, options.Hidden, options.Depth, options.Latent),
                (VaeDecoderNet)new MlpDecoder(options.Latent, options.Hidden, options.Depth, parametersPerCoordinate * dimensions)),
            VaeNetwork.Conv => (new ConvEncoder(options.EventShape, options.Hidden, options.Latent),
                new ConvDecoder(options.EventShape, options.Hidden, options.Latent, parametersPerCoordinate)),
            _ => throw new ArgumentOutOfRangeException(nameof(options)),
        };
        prior = new StandardNormal(options.Latent);
        RegisterComponents();
    }

    public VaeOptions Options { get; }

    public long[] EventShape => Options.EventShape;

    public long[] LatentShape => [Options.Latent];

    /// <inheritdoc />
    public bool Dequantizes => Options.Dequantize;

    /// <summary>The data as the decoder models it: y = (k + u) / 256 when dequantizing, else x itself.</summary>
    private Tensor Prepared(Tensor x, Generator? generator) => Options.Dequantize ? Dequantization.Uniform(x, generator) : x.alias();

    /// <summary>D ln 256 when dequantizing (the log-volume of a bin), else 0.</summary>
    private double BinVolume => Options.Dequantize ? dimensions * Dequantization.LogBinsPerDimension : 0;

    /// <summary>The posterior q(z | x) for x [B, ...event].</summary>
    public DiagonalNormal Posterior(Tensor x)
    {
        CheckBatch(x);
        var (mu, logVar) = encoder.forward(x);
        return new DiagonalNormal(mu, logVar);
    }

    /// <summary>Log-likelihood log p(x | z) per example; x [B, ...event], z [B, latent] -> [B].</summary>
    public Tensor LogLikelihood(Tensor x, Tensor z)
    {
        Tensor parameters = decoder.forward(z);
        return Options.Decoder switch
        {
            VaeDecoder.Bernoulli => new Bernoulli(parameters.view(x.shape)).LogProb(x),
            _ => GaussianLikelihood(parameters).LogProb(x.flatten(1)),
        };
    }

    /// <summary>
    /// The evidence lower bound E_q[log p(x | z)] - KL(q(z | x) || p(z)) per example, [B], with the KL at
    /// weight 1 whatever the training's beta: only then is it a bound on log p(x).
    /// </summary>
    public Tensor Elbo(Tensor x, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        Tensor y = Prepared(x, generator);
        DiagonalNormal q = Posterior(y);
        Tensor z = q.RSample(generator);                                     // [B, L]
        Tensor elbo = LogLikelihood(y, z) - q.KlToStandardNormal() - BinVolume;
        return elbo.MoveToOuterDisposeScope();
    }

    public Tensor ImportanceSampledLogLikelihood(Tensor x, int samples, Generator? generator = null)
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "need at least one importance sample");
        using var scope = NewDisposeScope();
        x = Prepared(x, generator);
        DiagonalNormal q = Posterior(x);
        long batch = x.shape[0];
        int chunk = (int)Math.Clamp(ImportanceChunkElements / Math.Max(1, batch * dimensions), 1, samples);
        var logWeights = new List<Tensor>();
        for (int start = 0; start < samples; start += chunk)
            logWeights.Add(LogImportanceWeights(x, q, Math.Min(chunk, samples - start), generator));
        Tensor all = cat(logWeights, 0);                                      // [k, B]
        return (all.logsumexp(0) - Math.Log(samples) - BinVolume).MoveToOuterDisposeScope();
    }

    public StepResult Loss(Tensor batch, Generator? generator = null)
    {
        batch = Prepared(batch, generator);
        if (Options.ImportanceSamples == 1)
        {
            DiagonalNormal q = Posterior(batch);
            Tensor z = q.RSample(generator);
            Tensor reconstruction = LogLikelihood(batch, z).mean() - BinVolume;
            Tensor kl = q.KlToStandardNormal().mean();
            Tensor objective = reconstruction - Options.Beta * kl;          // the ELBO when beta = 1 (beta-VAE otherwise)
            return new StepResult(-objective, new Dictionary<string, Tensor>
            {
                ["elbo"] = (reconstruction - kl).detach(), ["kl"] = kl.detach(), ["reconstruction"] = reconstruction.detach(),
            });
        }
        DiagonalNormal posterior = Posterior(batch);
        Tensor iwae = (LogImportanceWeights(batch, posterior, Options.ImportanceSamples, generator).logsumexp(0)
            - Math.Log(Options.ImportanceSamples)).mean() - BinVolume;
        return new StepResult(-iwae, new Dictionary<string, Tensor> { ["iwae_bound"] = iwae.detach() });
    }

    public Tensor Sample(int count, Generator? generator = null)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Device device = Device;
        Tensor z = prior.Sample(count, device, generator: generator);
        Tensor parameters = decoder.forward(z);
        Tensor x = Options.Decoder == VaeDecoder.Bernoulli
            ? parameters.sigmoid()
            : GaussianLikelihood(parameters).RSample(generator);
        if (Options.Dequantize) x = Dequantization.Quantize(x);
        return x.view(EventShapeWithBatch(count)).MoveToOuterDisposeScope();
    }

    public Tensor Encode(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Posterior(x).Mu.MoveToOuterDisposeScope();
    }

    public Tensor Decode(Tensor z)
    {
        using var scope = NewDisposeScope();
        Tensor parameters = decoder.forward(z);
        Tensor mean = Options.Decoder == VaeDecoder.Bernoulli ? parameters.sigmoid() : GaussianLikelihood(parameters).Mu;
        if (Options.Dequantize) mean = mean.clamp(0, 1);
        return mean.view(EventShapeWithBatch(z.shape[0])).MoveToOuterDisposeScope();
    }

    /// <summary>The device of the model's parameters.</summary>
    public Device Device => parameters().First().device;

    /// <summary>log p(x, z_i) - log q(z_i | x) for k draws z_i ~ q: [k, B].</summary>
    private Tensor LogImportanceWeights(Tensor x, DiagonalNormal q, int k, Generator? generator)
    {
        long batch = x.shape[0];
        Tensor z = q.RSample(k, generator);                                   // [k, B, L]
        Tensor zFlat = z.view(k * batch, Options.Latent);                     // [k*B, L]
        long[] repeatedShape = new[] { k * batch }.Concat(EventShape).ToArray();
        Tensor xRepeated = x.unsqueeze(0).expand(new[] { (long)k }.Concat(x.shape).ToArray()).reshape(repeatedShape);
        Tensor logPxGivenZ = LogLikelihood(xRepeated, zFlat).view(k, batch);
        Tensor logPz = prior.LogProb(zFlat).view(k, batch);
        Tensor logQz = LogProbUnderPosterior(q, z);                           // [k, B]
        return logPxGivenZ + logPz - logQz;
    }

    private static Tensor LogProbUnderPosterior(DiagonalNormal q, Tensor z)
    {
        // z: [k, B, L]; broadcast mu, logVar [B, L] over k, sum over L.
        const double logTwoPi = 1.8378770664093453;
        Tensor perCoordinate = -0.5 * (logTwoPi + q.LogVar + (z - q.Mu).square() * (-q.LogVar).exp());
        return perCoordinate.sum(-1);
    }

    private DiagonalNormal GaussianLikelihood(Tensor parameters)
    {
        Tensor split = parameters.view(-1, 2, dimensions);                    // [B, 2, D]
        Tensor logVar = split[.., 1].clamp(-12.0, 8.0);
        return new DiagonalNormal(split[.., 0], logVar);
    }

    private long[] EventShapeWithBatch(long batch) => new[] { batch }.Concat(EventShape).ToArray();

    private void CheckBatch(Tensor x)
    {
        if (x.dim() != EventShape.Length + 1 || !x.shape.Skip(1).SequenceEqual(EventShape))
            throw new ArgumentException($"expected a batch [B, {string.Join(", ", EventShape)}]; got [{string.Join(", ", x.shape)}].");
    }
}
