using GenerativeSharp.Evaluation.Translation;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Evaluation.Translation;

public sealed class ImageSimilarityTests
{
    [Fact]
    public void Identical_images_have_ssim_one_zero_l1_and_the_capped_psnr()
    {
        using var scope = NewDisposeScope();
        using var g = new TorchSharp.torch.Generator(1);
        Tensor x = rand([3, 3, 16, 16], generator: g);
        Assert.True(ImageSimilarity.StructuralSimilarity(x, x).allclose(ones(3, dtype: ScalarType.Float64), rtol: 0, atol: 1e-12));
        Assert.Equal(0, ImageSimilarity.MeanAbsoluteError(x, x).abs().max().item<double>());
        Assert.True(ImageSimilarity.PeakSignalToNoise(x, x).eq(ImageSimilarity.MaxPsnr).all().item<bool>());
    }

    [Fact]
    public void Psnr_and_l1_of_a_uniform_offset_match_their_definitions()
    {
        using var scope = NewDisposeScope();
        Tensor x = full([1, 1, 12, 12], 0.5f), y = full([1, 1, 12, 12], 0.6f);
        Assert.Equal(0.1, ImageSimilarity.MeanAbsoluteError(x, y).item<double>(), 6);
        Assert.Equal(20.0, ImageSimilarity.PeakSignalToNoise(x, y).item<double>(), 4);      // MSE 0.01 -> 10 log10(100)
    }

    [Fact]
    public void Ssim_of_two_constant_images_is_the_closed_form_luminance_term()
    {
        // Constant images a and b: every local mean is a (b), every variance and covariance 0, so
        // SSIM = (2ab + C1) / (a^2 + b^2 + C1) * (0 + C2) / (0 + C2).
        using var scope = NewDisposeScope();
        const double a = 0.2, b = 0.7;
        Tensor x = full([1, 3, 13, 13], a, ScalarType.Float64), y = full([1, 3, 13, 13], b, ScalarType.Float64);
        double expected = (2 * a * b + ImageSimilarity.C1) / (a * a + b * b + ImageSimilarity.C1);
        Assert.Equal(expected, ImageSimilarity.StructuralSimilarity(x, y).item<double>(), 10);
    }

    [Fact]
    public void Ssim_of_an_image_and_its_scaled_copy_matches_a_hand_computation_on_one_window()
    {
        // An 11 x 11 image has one window position. y = x / 2: mu_y = mu_x / 2, s_y^2 = s_x^2 / 4, s_xy = s_x^2 / 2, all
        // under the Gaussian weights, which the test computes itself.
        using var scope = NewDisposeScope();
        using var g = new TorchSharp.torch.Generator(3);
        Tensor x = rand([1, 1, 11, 11], ScalarType.Float64, generator: g), y = x / 2;
        double[] w1 = [.. Enumerable.Range(-5, 11).Select(i => Math.Exp(-i * i / (2 * 1.5 * 1.5)))];
        double total = w1.Sum();
        double[] xs = x.flatten().data<double>().ToArray();
        double mu = 0, second = 0;
        for (int r = 0; r < 11; r++)
            for (int c = 0; c < 11; c++)
            {
                double w = w1[r] * w1[c] / (total * total);
                mu += w * xs[r * 11 + c];
                second += w * xs[r * 11 + c] * xs[r * 11 + c];
            }
        double variance = second - mu * mu, c1 = ImageSimilarity.C1, c2 = ImageSimilarity.C2;
        double expected = (2 * mu * (mu / 2) + c1) * (2 * (variance / 2) + c2) / ((mu * mu + mu * mu / 4 + c1) * (variance + variance / 4 + c2));
        Assert.Equal(expected, ImageSimilarity.StructuralSimilarity(x, y).item<double>(), 10);
    }

    [Fact]
    public void The_gaussian_window_is_normalised_and_symmetric()
    {
        using var scope = NewDisposeScope();
        Tensor w = ImageSimilarity.GaussianWindow();
        Assert.Equal(new long[] { 1, 1, 11, 11 }, w.shape);
        Assert.Equal(1.0, w.sum().item<double>(), 12);
        Assert.True(w.allclose(w.flip(2)) && w.allclose(w.transpose(2, 3)));
    }
}
