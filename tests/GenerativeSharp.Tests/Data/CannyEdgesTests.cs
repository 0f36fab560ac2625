using GenerativeSharp.Data;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Data;

/// <summary>The Canny detector on images whose edges are known in closed form.</summary>
public sealed class CannyEdgesTests
{
    private static float[,] Edges(Tensor images, int index = 0)
    {
        using Tensor edges = new CannyEdges().Detect(images);
        long h = edges.shape[2], w = edges.shape[3];
        var result = new float[h, w];
        for (long y = 0; y < h; y++)
            for (long x = 0; x < w; x++)
                result[y, x] = edges[index, 0, y, x].item<float>();
        return result;
    }

    [Fact]
    public void A_flat_image_has_no_edges()
    {
        using Tensor grey = full([2, 1, 20, 20], 0.6f);
        using Tensor edges = new CannyEdges().Detect(grey);
        Assert.Equal(new long[] { 2, 1, 20, 20 }, edges.shape);
        Assert.Equal(0, edges.sum().item<float>());
    }

    [Fact]
    public void A_vertical_step_gives_one_line_one_pixel_wide_down_the_whole_height_at_the_step()
    {
        using Tensor step = zeros([1, 1, 16, 16]);
        step[.., .., .., TensorIndex.Slice(8, null)] = tensor(1f);                                     // columns 8.. are white
        float[,] edges = Edges(step);
        for (int y = 0; y < 16; y++)
        {
            int[] columns = [.. Enumerable.Range(0, 16).Where(x => edges[y, x] == 1)];
            Assert.Single(columns);
            Assert.True(columns[0] is 7 or 8, $"row {y}: edge at column {columns[0]}");
        }
    }

    [Fact]
    public void A_horizontal_step_gives_the_transposed_line_and_a_weak_step_below_the_low_threshold_none()
    {
        using Tensor vertical = zeros([1, 1, 16, 16]);
        vertical[.., .., .., TensorIndex.Slice(8, null)] = tensor(1f);
        using Tensor horizontal = vertical.transpose(2, 3).contiguous();
        float[,] v = Edges(vertical), h = Edges(horizontal);
        for (int y = 0; y < 16; y++)
            for (int x = 0; x < 16; x++)
                Assert.Equal(v[y, x], h[x, y]);

        using Tensor faint = vertical * 0.04f;                                                        // gradient at most 0.04 < low 0.05
        Assert.Equal(0f, Edges(faint).Cast<float>().Sum());
    }

    [Fact]
    public void Colour_images_are_detected_on_their_luma_and_the_gaussian_kernel_is_normalised()
    {
        using Tensor grey = zeros([1, 1, 16, 16]);
        grey[.., .., TensorIndex.Slice(4, 12), TensorIndex.Slice(4, 12)] = tensor(0.8f);             // a square
        using Tensor colour = grey.expand(1, 3, 16, 16).contiguous();                                 // the same grey in R, G and B
        float[,] g = Edges(grey), c = Edges(colour);
        Assert.Equal(g.Cast<float>(), c.Cast<float>());
        Assert.True(g.Cast<float>().Sum() >= 24, "the square's outline");

        double[] kernel = CannyEdges.GaussianKernel(1.0);
        Assert.Equal(7, kernel.Length);                                                               // radius ceil(3 sigma)
        Assert.Equal(1.0, kernel.Sum(), 12);
        Assert.Equal(Math.Exp(-0.5), kernel[4] / kernel[3], 12);                                      // exp(-d^2 / 2 sigma^2) at d = 1
    }

    [Fact]
    public void Images_that_are_not_grey_or_colour_are_refused()
    {
        using Tensor two = zeros([1, 2, 8, 8]);
        Assert.Throws<ArgumentException>(() => new CannyEdges().Detect(two));
    }
}
