using GenerativeSharp.Data;
using GenerativeSharp.Distributions;
using GenerativeSharp.Layers;
using GenerativeSharp.Models.Autoregressive;
using GenerativeSharp.Models.Autoregressive.Pixels;
using GenerativeSharp.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GenerativeSharp.Models.Variational;

/// <summary>
/// VQ-VAE: a convolutional encoder maps an image [C, H, W] (grey or colour) to a grid [D, H/4, W/4] of vectors, each
/// replaced by its nearest of K code vectors (<see cref="VectorQuantizer"/>, EMA codebook updates); a convolutional decoder
/// gives Bernoulli logits of binarized pixels, or the mean and log-variance of a Gaussian over the uniformly dequantized
/// 8-bit pixels y = (k + u) / 256 (then -log P(k) &lt;= E_u[-log p(y | z_q)] + D ln 256 - log p_prior(z_q); the encoder
/// sees the 8-bit image itself, so the codes do not depend on u). The gradient passes the quantisation by the straight-through estimator;
/// the loss is -log p(x | z_q) + beta ||z_e - sg(e)||^2 (beta = 0.25). The prior over the code maps is a Gated PixelCNN
/// with a 256-way softmax per code (codes k &lt; K as levels k / 255, entering the network as learned embeddings, so it sees
/// no order between codes), trained in the same run on the detached codes
/// (its gradient never reaches the encoder or the codebook); mass it puts on levels &gt;= K is lost to the bound, and
/// a drawn level &gt;= K is clamped to K - 1.
/// With the one-hot q(z | x) of a deterministic encoder, -log p(x) &lt;= -log p(x | z_q) - log p_prior(z_q)
/// (<see cref="NegativeBound"/>; without a prior, the uniform one: h w log K). Samples and decodes are the decoder's means
/// (Bernoulli probabilities, or the Gaussian's mean clamped to [0, 1]), as in the paper's figures.
/// References: van den Oord, Vinyals and Kavukcuoglu, "Neural Discrete Representation Learning", NeurIPS 2017
/// (arXiv:1711.00937); van den Oord et al., "Conditional Image Generation with PixelCNN Decoders", NeurIPS 2016.
/// </summary>
public sealed class VqVae : Module, ITrainable, IVariationalBoundModel, ILatentModel, IInitialisedParts
{
    private const int PriorLevels = 255;

    private readonly TorchSharp.Modules.Sequential encoder;
    private readonly TorchSharp.Modules.Sequential decoder;
    private readonly VectorQuantizer quantizer;
    private readonly GatedPixelCnn? prior;
    private readonly long pixels;

    public VqVae(VqVaeOptions options) : base(nameof(VqVae))
    {
        options.Validate();
        Options = options;
        long c = options.EventShape[0];
        pixels = options.EventShape.Aggregate(1L, (a, b) => a * b);
        long parametersPerPixel = options.Decoder == VaeDecoder.Gaussian ? 2 : 1;
        encoder = Sequential(
            new Convolution2d(c, options.Hidden, 4, stride: 2, padding: 1), ReLU(),               // [B, h, H/2, W/2]
            new Convolution2d(options.Hidden, options.Hidden, 4, stride: 2, padding: 1), ReLU(),  // [B, h, H/4, W/4]
            new Convolution2d(options.Hidden, options.CodeDimension, 1));                         // [B, D, H/4, W/4]
        decoder = Sequential(
            new Convolution2d(options.CodeDimension, options.Hidden, 3, padding: 1), ReLU(),
            new TransposedConvolution2d(options.Hidden, options.Hidden, 4, stride: 2, padding: 1), ReLU(),   // [B, h, H/2, W/2]
            new TransposedConvolution2d(options.Hidden, parametersPerPixel * c, 4, stride: 2, padding: 1));  // [B, C, H, W] logits or [B, 2C, H, W] mean, log-variance
        quantizer = new VectorQuantizer(options.Codes, options.CodeDimension, options.Decay, options.Epsilon, options.DeadAfter, options.Revive);
        prior = options.Prior
            ? new GatedPixelCnn(new GatedPixelCnnOptions
            {
                EventShape = [1, GridHeight, GridWidth], Channels = options.PriorChannels, Layers = options.PriorLayers,
                Likelihood = PixelLikelihoodKind.Softmax256, CategoryEmbedding = options.PriorInput == PriorInput.Embedding ? options.Codes : 0,
            })
            : null;
        RegisterComponents();
        if (!options.TrainAutoencoder)
            foreach (var parameter in encoder.parameters().Concat(decoder.parameters())) parameter.requires_grad = false;   // the optimizer then never holds them
    }

    /// <summary>With train_autoencoder=false the encoder, decoder and codebook come from a trained run.</summary>
    public IReadOnlyList<string> PartsToInitialise => Options.TrainAutoencoder ? [] : ["encoder.", "decoder.", "quantizer."];

    public string InitialisationReason => "vq-vae with train_autoencoder=false trains the prior alone on a trained autoencoder's codes";

    public VqVaeOptions Options { get; }

    public long[] EventShape => Options.EventShape;

    /// <summary>Height of the code map (H / 4).</summary>
    public long GridHeight => Options.EventShape[1] / 4;

    /// <summary>Width of the code map (W / 4).</summary>
    public long GridWidth => Options.EventShape[2] / 4;

    /// <summary>The codebook.</summary>
    public VectorQuantizer Quantizer => quantizer;

    /// <summary>The prior over code maps, or null when none was trained (prior=false).</summary>
    public GatedPixelCnn? CodePrior => prior;

    /// <summary>The quantised latent z_q [D, H/4, W/4].</summary>
    public long[] LatentShape => [Options.CodeDimension, GridHeight, GridWidth];

    /// <summary>One term: the reconstruction and prior terms, computed exactly.</summary>
    public int BoundTerms => 1;

    public int DefaultBoundTimesteps => 1;

    public string BoundDescription => ReconstructionDescription + (prior is null
        ? " + h w log K (uniform prior over the codes; q(z | x) one-hot); nll_std_err over the examples"
        : " - log p_prior(z_q) (Gated PixelCNN over the codes; q(z | x) one-hot); nll_std_err over the examples");

    private string ReconstructionDescription => Options.Decoder == VaeDecoder.Gaussian
        ? "-log p(y | z_q) + D ln 256 of the 8-bit pixels (Gaussian decoder on y = (k + u) / 256, one u per example: a bound on -log P(k))"
        : "-log p(x | z_q) of the binarized pixels (Bernoulli decoder)";

    /// <summary>D ln 256 with the Gaussian decoder (the log-volume of a bin of y), else 0.</summary>
    private double BinVolume => Options.Decoder == VaeDecoder.Gaussian ? pixels * Dequantization.LogBinsPerDimension : 0;

    /// <summary>The data the decoder models: y = (k + u) / 256 with the Gaussian decoder, else x itself.</summary>
    private Tensor Modelled(Tensor x, Generator? generator) =>
        Options.Decoder == VaeDecoder.Gaussian ? Dequantization.Uniform(x, generator) : x.alias();

    /// <summary>The encoder's outputs z_e [B, D, H/4, W/4].</summary>
    public Tensor EncodeContinuous(Tensor x)
    {
        CheckBatch(x);
        return encoder.forward(x);
    }

    /// <summary>The code map of each image: [B, C, H, W] -> [B, H/4, W/4] int64.</summary>
    public Tensor Codes(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor flat = Flatten(EncodeContinuous(x));
        return quantizer.Nearest(flat).view(x.shape[0], GridHeight, GridWidth).MoveToOuterDisposeScope();
    }

    /// <summary>The code vectors of code maps: [B, h, w] -> z_q [B, D, h, w].</summary>
    public Tensor Embed(Tensor codes)
    {
        using var scope = NewDisposeScope();
        return quantizer.Lookup(codes).permute(0, 3, 1, 2).MoveToOuterDisposeScope();   // [B, h, w, D] -> [B, D, h, w]
    }

    /// <summary>
    /// log p(x | z_q) given z_q [B, D, h, w], in nats, [B]: of binary pixels x [B, C, H, W] (Bernoulli decoder), or of
    /// dequantized pixels y [B, C, H, W] in [0, 1) (Gaussian decoder; a density, without the D ln 256).
    /// </summary>
    public Tensor LogLikelihood(Tensor x, Tensor quantized)
    {
        using var scope = NewDisposeScope();
        Tensor parameters = decoder.forward(quantized);
        Tensor logLikelihood = Options.Decoder == VaeDecoder.Gaussian
            ? GaussianOf(parameters).LogProb(x.flatten(1))
            : new Bernoulli(parameters).LogProb(x);
        return logLikelihood.MoveToOuterDisposeScope();
    }

    /// <summary>log p_prior(codes) for code maps [B, h, w], in nats, [B]: the Gated PixelCNN, or uniform (h w log K) without one.</summary>
    public Tensor PriorLogProb(Tensor codes)
    {
        if (prior is null)
            return full(codes.shape[0], -GridHeight * GridWidth * Math.Log(Options.Codes), ScalarType.Float32, codes.device);
        using var scope = NewDisposeScope();
        return prior.LogProb(AsLevels(codes)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// -log p(x | z_q) - log p_prior(z_q) per example in nats, [B]: an upper bound on -log p(x) of binary pixels
    /// (q(z | x) is one-hot, so its entropy is 0); with the Gaussian decoder -log p(y | z_q) + D ln 256 - log p_prior(z_q)
    /// for one dequantization y of each example drawn from <paramref name="generator"/>, an unbiased estimate of a bound on -log P(k).
    /// </summary>
    public Tensor NegativeBound(Tensor x, int timesteps, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor codes = Codes(x);
        Tensor y = Modelled(x, generator);
        return (-LogLikelihood(y, Embed(codes)) + BinVolume - PriorLogProb(codes)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// -log p(x | z_q) + beta ||z_e - sg(e)||^2 (per example, summed over the grid) + the prior's NLL of the detached
    /// codes; in training mode also one EMA codebook update. With train_autoencoder=false only the prior's NLL (the other
    /// terms are computed without gradients, for the metrics, and the codebook stays). Metrics: reconstruction,
    /// commitment, prior_nll, bound (nats per image), perplexity, dead_codes, revived.
    /// </summary>
    public StepResult Loss(Tensor batch, Generator? generator = null)
    {
        // Frozen, the encoder's and decoder's parameters do not require gradients and the codebook is a buffer, so autograd
        // records only the prior's term.
        long b = batch.shape[0];
        Tensor encoded = EncodeContinuous(batch);
        Tensor flat = Flatten(encoded);                                          // [B*h*w, D]
        Tensor indices = quantizer.Nearest(flat);                                // [B*h*w]
        Tensor quantized = quantizer.Lookup(indices);                            // [B*h*w, D]
        Tensor passed = VectorQuantizer.StraightThrough(flat, quantized);
        Tensor zq = passed.view(b, GridHeight, GridWidth, Options.CodeDimension).permute(0, 3, 1, 2);   // [B, D, h, w]
        Tensor reconstruction = -LogLikelihood(Modelled(batch, generator), zq).mean() + BinVolume;
        Tensor commitment = (flat - quantized.detach()).square().sum() / b;
        Tensor codes = indices.view(b, GridHeight, GridWidth);
        Tensor priorNll = -PriorLogProb(codes).mean();
        Tensor loss = !Options.TrainAutoencoder ? priorNll
            : reconstruction + Options.Beta * commitment + (prior is null ? zeros_like(priorNll) : priorNll);
        Tensor perplexity = VectorQuantizer.Perplexity(indices, Options.Codes);
        (long dead, long revived) = training && Options.TrainAutoencoder ? quantizer.Update(flat, indices, generator) : (0L, 0L);
        return new StepResult(loss, new Dictionary<string, Tensor>
        {
            ["reconstruction"] = reconstruction.detach(), ["commitment"] = commitment.detach(), ["prior_nll"] = priorNll.detach(),
            ["bound"] = (reconstruction + priorNll).detach(), ["perplexity"] = perplexity,
            ["dead_codes"] = tensor((float)dead), ["revived"] = tensor((float)revived),
        });
    }

    /// <summary>
    /// Draws code maps from the prior and decodes them: the decoder's means [count, C, H, W] in [0, 1]. Without a trained prior
    /// (prior=false) the codes are drawn uniformly, the prior the bound then uses (<see cref="NoPriorNote"/>).
    /// </summary>
    public Tensor Sample(int count, Generator? generator = null)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Device device = quantizer.Codebook.device;
        Tensor codes = prior is null
            ? SeededRandom.Integers(Options.Codes, [count, GridHeight, GridWidth], ScalarType.Int64, device, generator)
            : (prior.Sample(count, generator).squeeze(1) * PriorLevels).round().clamp(0, Options.Codes - 1).to(ScalarType.Int64);   // [n, 1, h, w] levels -> [n, h, w] codes
        return Mean(decoder.forward(Embed(codes))).MoveToOuterDisposeScope();
    }

    /// <summary>The one line a sampler prints for a model without a prior; null when it has one.</summary>
    public string? NoPriorNote => prior is null
        ? "note: this vq-vae was trained without a prior over its codes (prior=false): its codes were drawn uniformly from the K codes (train with prior=true for a learned prior)."
        : null;

    /// <summary>z_q of each image, [B, D, h, w].</summary>
    public Tensor Encode(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Embed(Codes(x)).MoveToOuterDisposeScope();
    }

    /// <summary>Quantises z [B, D, h, w] to its nearest codes and decodes them: the decoder's means [B, C, H, W] in [0, 1].</summary>
    public Tensor Decode(Tensor z)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor codes = quantizer.Nearest(Flatten(z)).view(z.shape[0], GridHeight, GridWidth);
        return Mean(decoder.forward(Embed(codes))).MoveToOuterDisposeScope();
    }

    /// <summary>The decoder's mean image [B, C, H, W] in [0, 1] from its outputs: sigmoid of the logits, or the Gaussian's mean clamped.</summary>
    private Tensor Mean(Tensor parameters) => Options.Decoder == VaeDecoder.Gaussian
        ? parameters.narrow(1, 0, Options.EventShape[0]).clamp(0, 1)
        : parameters.sigmoid();

    /// <summary>The Gaussian over the flattened pixels from the decoder's [B, 2C, H, W] outputs (log-variance clamped to [-12, 8]).</summary>
    private DiagonalNormal GaussianOf(Tensor parameters)
    {
        long c = Options.EventShape[0];
        Tensor mean = parameters.narrow(1, 0, c).flatten(1);                  // [B, C*H*W]
        Tensor logVariance = parameters.narrow(1, c, c).flatten(1).clamp(-12.0, 8.0);
        return new DiagonalNormal(mean, logVariance);
    }

    /// <summary>Codes as the prior's 8-bit levels: [B, h, w] -> [B, 1, h, w] with values k / 255.</summary>
    private static Tensor AsLevels(Tensor codes) => codes.unsqueeze(1).to(ScalarType.Float32) / PriorLevels;

    /// <summary>[B, D, h, w] -> [B*h*w, D], rows in (b, i, j) order.</summary>
    private Tensor Flatten(Tensor grid) => grid.permute(0, 2, 3, 1).reshape(-1, Options.CodeDimension);

    private void CheckBatch(Tensor x)
    {
        if (x.dim() != 4 || !x.shape.Skip(1).SequenceEqual(EventShape))
            throw new ArgumentException($"expected a batch [B, {string.Join(", ", EventShape)}]; got [{string.Join(", ", x.shape)}].");
    }
}
