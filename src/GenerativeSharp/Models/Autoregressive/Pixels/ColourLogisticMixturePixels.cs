using GenerativeSharp.Runtime;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Autoregressive.Pixels;

/// <summary>
/// 8-bit RGB pixels as PixelCNN++'s discretized mixture of K logistics with linear dependence
/// between the channels. Per pixel the network emits 10K parameters, laid out
/// [K mixture logits | 3K means (R, G, B) | 3K log-scales (R, G, B) | 3K coefficients (alpha, beta, gamma)];
/// the mixture component is shared by the three channels, and on the [-1, 1] scale
/// mean_R = mu_R, mean_G = mu_G + tanh(alpha) R, mean_B = mu_B + tanh(beta) R + tanh(gamma) G with
/// the pixel's own R and G values. P(r, g, b) = sum_k pi_k P(r | k) P(g | r, k) P(b | r, g, k), each
/// factor a discretized logistic as in <see cref="LogisticMixturePixels"/>.
/// The current pixel's colours enter only through these coefficients, so the network's parameters
/// at pixel ij must see no colour of pixel ij at all (<see cref="ColourGroups"/> = 1: the network
/// masks as for grey-scale, the first layer shutting the centre tap for all three input channels),
/// as in PixelCNN++; sampling then takes one network pass per pixel.
/// Reference: Salimans, Karpathy, Chen and Kingma, "PixelCNN++", ICLR 2017, section 2.2.
/// </summary>
public sealed class ColourLogisticMixturePixels : IPixelLikelihood
{
    private const int Colours = 3;

    public ColourLogisticMixturePixels(int mixtures)
    {
        if (mixtures < 1) throw new ArgumentOutOfRangeException(nameof(mixtures), mixtures, "need at least one logistic");
        Mixtures = mixtures;
    }

    public int Mixtures { get; }

    public int ParametersPerPixel => 10 * Mixtures;

    public int Channels => Colours;

    public int ChannelsPerPass => Colours;

    public int ColourGroups => 1;

    public Tensor LogProb(Tensor parameters, Tensor x)
    {
        using var scope = NewDisposeScope();
        var (logits, means, logScales, coefficients) = Split(parameters);   // [B, K, H, W]; the others [B, 3, K, H, W]
        Tensor y = (x * 2 - 1).unsqueeze(2);                                // [B, 3, 1, H, W] in [-1, 1], broadcasts over K
        Tensor red = y.narrow(1, 0, 1), green = y.narrow(1, 1, 1);          // [B, 1, 1, H, W]
        Tensor shifted = cat([
            means.narrow(1, 0, 1),
            means.narrow(1, 1, 1) + coefficients.narrow(1, 0, 1) * red,
            means.narrow(1, 2, 1) + coefficients.narrow(1, 1, 1) * red + coefficients.narrow(1, 2, 1) * green], 1);   // [B, 3, K, H, W]
        Tensor perComponent = LogisticMixturePixels.ComponentLogMass(y, shifted, logScales).sum(1);             // [B, K, H, W]
        return (perComponent + logits.log_softmax(1)).logsumexp(1, keepdim: true).MoveToOuterDisposeScope();  // [B, 1, H, W]
    }

    /// <summary>
    /// Draws the whole pixel from one pass: parameters [B, 10K] -> [B, 3]. Sampling (no
    /// <paramref name="missing"/>) draws one component per pixel, then R, G given R, B given R and G.
    /// Completing keeps known channels and draws the missing ones in the same order; where a missing
    /// channel follows a known one, the component is drawn afresh from its posterior given the
    /// channels before it, so each drawn channel follows p(x_c | x_&lt;c, earlier pixels) exactly.
    /// </summary>
    public Tensor DrawChannels(Tensor parameters, Tensor pixel, Tensor? missing, int first, Generator? generator)
    {
        if (first != 0) throw new ArgumentOutOfRangeException(nameof(first), first, "the logistic mixture draws a whole pixel from one pass");
        using var scope = NewDisposeScope();
        var (logits, means, logScales, coefficients) = Split(parameters.unsqueeze(2).unsqueeze(3));   // as in LogProb with H = W = 1
        logits = logits.flatten(1);                                                                 // [B, K]
        means = means.flatten(2);                                                                   // [B, 3, K]
        logScales = logScales.flatten(2);
        coefficients = coefficients.flatten(2);
        Tensor logWeights = logits.log_softmax(1);                                                  // [B, K]: log p(k | x_<c) as c advances
        Tensor? component = null;                                                                   // [B, 1]
        var values = new Tensor[Colours];                                                           // each [B, 1] in [0, 1]
        var drawn = new Tensor[Colours];                                                            // the same on the [-1, 1] scale
        for (int c = 0; c < Colours; c++)
        {
            Tensor mean = means.select(1, c);                                                       // [B, K]
            if (c == 1) mean = mean + coefficients.select(1, 0) * drawn[0];                         // + alpha R
            if (c == 2) mean = mean + coefficients.select(1, 1) * drawn[0] + coefficients.select(1, 2) * drawn[1];   // + beta R + gamma G
            Tensor logScale = logScales.select(1, c);                                               // [B, K]
            if (c == 0 || missing is not null)
            {
                Tensor candidate = SeededRandom.Categorical(logWeights.softmax(1), generator);      // [B, 1]
                component = c == 0 || missing is null ? candidate
                    : where(missing.narrow(1, c, 1).logical_and(missing.narrow(1, c - 1, 1).logical_not()), candidate, component!);
            }
            Tensor u = SeededRandom.Uniform([parameters.shape[0], 1], parameters.dtype, parameters.device, generator).clamp(1e-5, 1 - 1e-5);
            Tensor y = (mean.gather(1, component!) + logScale.gather(1, component!).exp() * (u.log() - (1 - u).log())).clamp(-1, 1);   // inverse logistic CDF
            values[c] = ((y + 1) / 2 * 255).round() / 255;                                          // [B, 1]
            if (missing is not null) values[c] = where(missing.narrow(1, c, 1), values[c], pixel.narrow(1, c, 1));
            drawn[c] = values[c] * 2 - 1;
            if (missing is not null && c < Colours - 1)
                logWeights = logWeights + LogisticMixturePixels.ComponentLogMass(drawn[c], mean, logScale);
        }
        return cat(values, 1).MoveToOuterDisposeScope();                                            // [B, 3]
    }

    /// <summary>parameters [B, 10K, H, W] -> logits [B, K, H, W], means, log-scales (clamped) and tanh coefficients, each [B, 3, K, H, W].</summary>
    private (Tensor Logits, Tensor Means, Tensor LogScales, Tensor Coefficients) Split(Tensor parameters)
    {
        int k = Mixtures;
        long batch = parameters.shape[0], height = parameters.shape[2], width = parameters.shape[3];
        Tensor Block(int start) => parameters.narrow(1, start * k, Colours * k).reshape(batch, Colours, k, height, width);
        return (parameters.narrow(1, 0, k), Block(1), Block(4).clamp_min(LogisticMixturePixels.MinLogScale), Block(7).tanh());
    }
}
