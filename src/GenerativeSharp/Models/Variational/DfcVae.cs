using GenerativeSharp.Distributions;
using GenerativeSharp.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Variational;

/// <summary>
/// Deep feature consistent VAE (Hou, Shen, Sun and Qiu, "Deep Feature Consistent Variational Autoencoder", WACV 2017,
/// arXiv:1610.00291): the convolutional VAE's encoder and decoder, trained on
/// alpha · KL(q(z | x) || N(0, I)) + beta · L_rec with L_rec the feature perceptual loss
/// (<see cref="FeaturePerceptualLoss"/>) of an embedded, frozen feature network instead of a pixel likelihood,
/// optionally plus a pixel term. The decoder outputs sigmoid pixel means. Because L_rec is not a log-likelihood, the
/// objective bounds nothing: the model has no likelihood, and is judged, as GANs are, by sample quality (and by its
/// reconstruction error).
/// </summary>
public sealed class DfcVae : nn.Module, ILatentModel, ITrainable
{
    /// <summary>The one line eval prints for this model.</summary>
    public const string NoLikelihoodNote = "dfc-vae has no likelihood: its objective is not a bound on log p(x) because its reconstruction " +
        "term (feature perceptual loss) is not a likelihood; judged by sample quality and reconstruction error";

    private readonly ConvEncoder encoder;
    private readonly ConvDecoder decoder;
    private readonly StandardNormal prior;
    private readonly FeaturePerceptualLoss perceptual;   // not a module: frozen, never saved

    public DfcVae(DfcVaeOptions options) : base(nameof(DfcVae))
    {
        options.Validate();
        FeatureNetworkInfo info = FeatureNetworks.All.FirstOrDefault(n => string.Equals(n.Name, options.FeatureNetwork, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidInputException($"unknown feature network '{options.FeatureNetwork}': expected one of {string.Join(", ", FeatureNetworks.All.Select(n => n.Name))}.");
        if (!info.InputShape.SequenceEqual(options.EventShape))
            throw new InvalidInputException($"feature network {info.Name} takes [{string.Join(", ", info.InputShape)}] images, " +
                $"not [{string.Join(", ", options.EventShape)}].");
        Options = options;
        encoder = new ConvEncoder(options.EventShape, options.Hidden, options.Latent);
        decoder = new ConvDecoder(options.EventShape, options.Hidden, options.Latent, parametersPerCoordinate: 1);
        prior = new StandardNormal(options.Latent);
        RegisterComponents();
        perceptual = new FeaturePerceptualLoss(info, options.Layers, options.LayerMean);
    }

    public DfcVaeOptions Options { get; }

    public long[] EventShape => Options.EventShape;

    public long[] LatentShape => [Options.Latent];

    /// <summary>The frozen feature network and its loss.</summary>
    public FeaturePerceptualLoss Perceptual => perceptual;

    /// <summary>The posterior q(z | x) for x [B, C, H, W].</summary>
    public DiagonalNormal Posterior(Tensor x)
    {
        if (x.dim() != 4 || !x.shape.Skip(1).SequenceEqual(EventShape))
            throw new ArgumentException($"expected a batch [B, {string.Join(", ", EventShape)}]; got [{string.Join(", ", x.shape)}].");
        var (mu, logVar) = encoder.forward(x);
        return new DiagonalNormal(mu, logVar);
    }

    public StepResult Loss(Tensor batch, Generator? generator = null)
    {
        DiagonalNormal q = Posterior(batch);
        Tensor z = q.RSample(generator);                                      // [B, L]
        Tensor reconstruction = DecodeMean(z);                                // [B, C, H, W]
        Tensor feature = perceptual.PerExample(batch, reconstruction).mean();
        Tensor kl = q.KlToStandardNormal().mean();
        Tensor loss = Options.Alpha * kl + Options.Beta * feature;
        Tensor pixelSquares = (reconstruction - batch).square().flatten(1);   // [B, D]
        if (Options.Pixel > 0) loss = loss + Options.Pixel * 0.5 * pixelSquares.sum(1).mean();
        return new StepResult(loss, new Dictionary<string, Tensor>
        {
            ["kl"] = kl.detach(), ["perceptual"] = feature.detach(), ["pixel_mse"] = pixelSquares.mean().detach(),
        });
    }

    public Tensor Sample(int count, Generator? generator = null)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor z = prior.Sample(count, Device, generator: generator);
        return DecodeMean(z).MoveToOuterDisposeScope();
    }

    public Tensor Encode(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Posterior(x).Mu.MoveToOuterDisposeScope();
    }

    public Tensor Decode(Tensor z)
    {
        using var scope = NewDisposeScope();
        return DecodeMean(z).MoveToOuterDisposeScope();
    }

    /// <summary>The device of the model's parameters.</summary>
    public Device Device => parameters().First().device;

    private Tensor DecodeMean(Tensor z) =>
        decoder.forward(z).sigmoid().view(new[] { z.shape[0] }.Concat(EventShape).ToArray());   // [B, C*H*W] -> [B, C, H, W]

    protected override void Dispose(bool disposing)
    {
        if (disposing) perceptual.Dispose();
        base.Dispose(disposing);
    }
}
