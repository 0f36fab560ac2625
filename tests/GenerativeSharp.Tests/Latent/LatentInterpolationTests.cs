using GenerativeSharp.Latent;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Latent;

public sealed class LatentInterpolationTests
{
    [Theory]
    [InlineData(InterpolationPath.Linear)]
    [InlineData(InterpolationPath.Spherical)]
    public void Paths_start_and_end_at_the_two_codes(InterpolationPath path)
    {
        using var a = tensor(new float[] { 1, 0, 0 });
        using var b = tensor(new float[] { 0, 2, 0 });
        using var points = LatentInterpolation.BetweenCodes(a, b, 5, path);
        Assert.Equal(new long[] { 5, 3 }, points.shape);
        Assert.True(points[0].allclose(a, atol: 1e-6));
        Assert.True(points[4].allclose(b, atol: 1e-6));
    }

    [Fact]
    public void Spherical_paths_keep_the_norm_of_equal_norm_codes()
    {
        using var a = tensor(new float[] { 3, 0 });
        using var b = tensor(new float[] { 0, 3 });
        using var points = LatentInterpolation.BetweenCodes(a, b, 7, InterpolationPath.Spherical);
        Assert.True(points.norm(1).allclose(full(7, 3.0f), atol: 1e-5));
    }

    [Fact]
    public void Decoded_walk_between_two_images_has_one_image_per_step()
    {
        using var model = TestModels.Vae([1, 12, 12], settings: [("hidden", "16"), ("latent", "2")]);
        using var images = SyntheticImages.Make(2, 1);
        using var strip = LatentInterpolation.BetweenExamples((GenerativeSharp.Models.ILatentModel)model.Module, images.narrow(0, 0, 1), images.narrow(0, 1, 1), 6);
        Assert.Equal(new long[] { 6, 1, 12, 12 }, strip.shape);
    }
}
