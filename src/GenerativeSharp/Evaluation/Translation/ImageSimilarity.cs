using static TorchSharp.torch;

namespace GenerativeSharp.Evaluation.Translation;

/// <summary>
/// Per-image similarity of two batches of images with intensities in [0, 1], [N, C, H, W] each, computed in
/// float64: mean absolute error, PSNR and SSIM. Each returns one value per image, [N].
/// </summary>
public static class ImageSimilarity
{
    /// <summary>The PSNR reported for identical images (and the cap of every PSNR): 100 dB, an MSE of 1e-10.</summary>
    public const double MaxPsnr = 100;

    /// <summary>SSIM's Gaussian window: 11 x 11, sigma 1.5 (Wang et al. 2004, section III.C).</summary>
    public const int Window = 11;

    public const double Sigma = 1.5;

    /// <summary>SSIM's stabilising constants C1 = (0.01 L)^2, C2 = (0.03 L)^2 with dynamic range L = 1.</summary>
    public const double C1 = 0.01 * 0.01, C2 = 0.03 * 0.03;

    /// <summary>Mean |x - y| over the pixels and channels of each image: [N].</summary>
    public static Tensor MeanAbsoluteError(Tensor x, Tensor y)
    {
        Check(x, y);
        using var scope = NewDisposeScope();
        return (x.to(ScalarType.Float64) - y.to(ScalarType.Float64)).abs().flatten(1).mean([1]).MoveToOuterDisposeScope();
    }

    /// <summary>PSNR in dB of each image, 10 log10(1 / MSE) with the MSE over its pixels and channels, capped at <see cref="MaxPsnr"/>: [N].</summary>
    public static Tensor PeakSignalToNoise(Tensor x, Tensor y)
    {
        Check(x, y);
        using var scope = NewDisposeScope();
        Tensor mse = (x.to(ScalarType.Float64) - y.to(ScalarType.Float64)).square().flatten(1).mean([1]);   // [N]
        return (-10 * mse.clamp_min(Math.Pow(10, -MaxPsnr / 10)).log10()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// SSIM (Wang, Bovik, Sheikh and Simoncelli, "Image Quality Assessment: From Error Visibility to Structural
    /// Similarity", IEEE TIP 2004, eq. 13): local means, variances and covariance under an 11 x 11 Gaussian
    /// window (sigma 1.5, normalised to sum 1), SSIM map ((2 mu_x mu_y + C1)(2 s_xy + C2)) / ((mu_x^2 + mu_y^2 + C1)(s_x^2 + s_y^2 + C2))
    /// over the window positions that lie inside the image ("valid", as the authors' ssim_index.m), averaged over
    /// the map and then over channels: [N]. Images need a side of at least 11.
    /// </summary>
    public static Tensor StructuralSimilarity(Tensor x, Tensor y)
    {
        Check(x, y);
        if (x.shape[2] < Window || x.shape[3] < Window)
            throw new ArgumentException($"SSIM needs images of at least {Window} x {Window}; got {x.shape[2]} x {x.shape[3]}.");
        using var scope = NewDisposeScope();
        long channels = x.shape[1];
        Tensor a = x.to(ScalarType.Float64), b = y.to(ScalarType.Float64);
        Tensor window = GaussianWindow().expand(channels, 1, Window, Window).contiguous();            // [C, 1, 11, 11], one per channel
        Tensor Filter(Tensor t) => nn.functional.conv2d(t, window, groups: channels);                // [N, C, H - 10, W - 10]
        Tensor muA = Filter(a), muB = Filter(b);
        Tensor varA = Filter(a * a) - muA * muA, varB = Filter(b * b) - muB * muB, cov = Filter(a * b) - muA * muB;
        Tensor map = (2 * muA * muB + C1) * (2 * cov + C2) / ((muA * muA + muB * muB + C1) * (varA + varB + C2));
        return map.mean([2, 3]).mean([1]).MoveToOuterDisposeScope();                                // [N, C] -> [N]
    }

    /// <summary>The normalised 11 x 11 Gaussian window, sigma 1.5, float64 [1, 1, 11, 11].</summary>
    public static Tensor GaussianWindow()
    {
        using var scope = NewDisposeScope();
        Tensor offsets = arange(Window, ScalarType.Float64) - (Window - 1) / 2.0;                   // -5 .. 5
        Tensor g = (-offsets.square() / (2 * Sigma * Sigma)).exp();
        g = g / g.sum();
        return g.outer(g).view(1, 1, Window, Window).MoveToOuterDisposeScope();                   // [11] x [11] -> [1, 1, 11, 11]
    }

    private static void Check(Tensor x, Tensor y)
    {
        if (x.dim() != 4 || !x.shape.SequenceEqual(y.shape))
            throw new ArgumentException($"expected two batches of images of one shape [N, C, H, W]; got [{string.Join(", ", x.shape)}] and [{string.Join(", ", y.shape)}].");
    }
}
