using GenerativeSharp.Runtime;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Autoregressive.Pixels;

/// <summary>
/// 8-bit pixels as a discretized mixture of K logistics: per pixel the network emits K mixture
/// logits, K means and K log-scales on the [-1, 1] scale. P(x) is the mixture's mass on x's bin
/// of width 2/255; the end bins take the tails, so the 256 masses sum to one.
/// Reference: Salimans, Karpathy, Chen and Kingma, "PixelCNN++", ICLR 2017, section 2.1.
/// </summary>
public sealed class LogisticMixturePixels : IPixelLikelihood
{
    private const double HalfBin = 1.0 / 255;
    internal const double MinLogScale = -7;

    public LogisticMixturePixels(int mixtures)
    {
        if (mixtures < 1) throw new ArgumentOutOfRangeException(nameof(mixtures), mixtures, "need at least one logistic");
        Mixtures = mixtures;
    }

    public int Mixtures { get; }

    public int ParametersPerPixel => 3 * Mixtures;

    public Tensor LogProb(Tensor parameters, Tensor x)
    {
        using var scope = NewDisposeScope();
        var (logits, means, logScales) = Split(parameters);                  // each [B, K, H, W]
        Tensor y = x * 2 - 1;                                                 // [B, 1, H, W] in [-1, 1], broadcasts over K
        Tensor perComponent = ComponentLogMass(y, means, logScales);         // [B, K, H, W]
        Tensor logWeights = logits.log_softmax(1);
        return (perComponent + logWeights).logsumexp(1, keepdim: true).MoveToOuterDisposeScope();   // [B, 1, H, W]
    }

    /// <summary>Draws one grey-scale pixel per example: parameters at that pixel [B, P] -> values [B] in [0, 1].</summary>
    public Tensor Draw(Tensor parameters, Generator? generator)
    {
        using var scope = NewDisposeScope();
        int k = Mixtures;
        Tensor logits = parameters.narrow(1, 0, k);                           // [B, K]
        Tensor means = parameters.narrow(1, k, k);
        Tensor logScales = parameters.narrow(1, 2 * k, k).clamp_min(MinLogScale);
        Tensor component = SeededRandom.Categorical(logits.softmax(1), generator);   // [B, 1]
        Tensor mean = means.gather(1, component).squeeze(1);                  // [B]
        Tensor scale = logScales.gather(1, component).squeeze(1).exp();
        Tensor u = SeededRandom.Uniform(mean.shape, mean.dtype, mean.device, generator).clamp(1e-5, 1 - 1e-5);
        Tensor y = (mean + scale * (u.log() - (1 - u).log())).clamp(-1, 1);  // inverse logistic CDF
        Tensor level = ((y + 1) / 2 * 255).round();
        return (level / 255).MoveToOuterDisposeScope();
    }

    /// <summary>The grey-scale pixel from one pass: [B, P] -> [B, 1].</summary>
    public Tensor DrawChannels(Tensor parameters, Tensor pixel, Tensor? missing, int first, Generator? generator)
    {
        using var drawn = Draw(parameters, generator);
        return drawn.unsqueeze(1);
    }

    /// <summary>
    /// log of each logistic's mass on the bin of y (on the [-1, 1] scale, bins 2/255 wide, the end
    /// bins taking the tails); y broadcasts against <paramref name="means"/> and <paramref name="logScales"/>.
    /// </summary>
    internal static Tensor ComponentLogMass(Tensor y, Tensor means, Tensor logScales)
    {
        using var scope = NewDisposeScope();
        Tensor centered = y - means;
        Tensor inverseScale = (-logScales).exp();
        Tensor upper = inverseScale * (centered + HalfBin);
        Tensor lower = inverseScale * (centered - HalfBin);
        Tensor logCdfUpper = upper - nn.functional.softplus(upper);          // log sigmoid(upper): mass of the lowest bin
        Tensor logSurvivalLower = -nn.functional.softplus(lower);            // log(1 - sigmoid(lower)): mass of the highest bin
        Tensor binMass = upper.sigmoid() - lower.sigmoid();
        Tensor middle = inverseScale * centered;
        // When the bin's mass underflows, its density at the centre times the bin width stands in for it.
        Tensor logDensityTimesWidth = middle - logScales - 2 * nn.functional.softplus(middle) + Math.Log(2 * HalfBin);
        Tensor interior = where(binMass.gt(1e-5), binMass.clamp_min(1e-12).log(), logDensityTimesWidth);
        return where(y.lt(-0.999), logCdfUpper, where(y.gt(0.999), logSurvivalLower, interior)).MoveToOuterDisposeScope();
    }

    private (Tensor Logits, Tensor Means, Tensor LogScales) Split(Tensor parameters)
    {
        int k = Mixtures;
        return (parameters.narrow(1, 0, k), parameters.narrow(1, k, k), parameters.narrow(1, 2 * k, k).clamp_min(MinLogScale));
    }
}
