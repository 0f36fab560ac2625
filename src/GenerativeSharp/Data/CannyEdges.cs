using static TorchSharp.torch;

namespace GenerativeSharp.Data;

/// <summary>
/// The Canny edge detector (Canny, "A Computational Approach to Edge Detection", IEEE TPAMI 8(6), 1986) on images in
/// [0, 1]: the grey level (colour through the ITU-R BT.601 luma 0.299 R + 0.587 G + 0.114 B) is smoothed by a
/// Gaussian of standard deviation <see cref="Sigma"/>, differentiated by Sobel filters (scaled by 1/4, so a unit step
/// between two flat regions has gradient 1 before smoothing), thinned to one-pixel ridges by non-maximum suppression
/// across the gradient direction (quantised to 0, 45, 90, 135 degrees), and kept by hysteresis: pixels of gradient at
/// least <see cref="High"/>, and pixels of at least <see cref="Low"/> 8-connected to them. Borders replicate the edge
/// pixel. Plain arrays, one image at a time: deterministic on every CPU.
/// </summary>
public sealed record CannyEdges
{
    /// <summary>Standard deviation of the smoothing Gaussian, in pixels (0: no smoothing).</summary>
    public double Sigma { get; init; } = 1.0;

    /// <summary>Hysteresis low threshold on the gradient magnitude (grey levels per pixel, a unit step being 1).</summary>
    public double Low { get; init; } = 0.05;

    /// <summary>Hysteresis high threshold on the gradient magnitude.</summary>
    public double High { get; init; } = 0.15;

    /// <summary>"Canny, sigma 1, thresholds 0.05 / 0.15".</summary>
    public override string ToString() => $"Canny, sigma {Sigma:0.##}, thresholds {Low:0.###} / {High:0.###}";

    /// <summary>Edge maps of images [N, C, H, W] in [0, 1] (C = 1 or 3): float32 [N, 1, H, W] of 0 and 1 (1 = edge).</summary>
    public Tensor Detect(Tensor images)
    {
        if (images.dim() != 4 || images.shape[1] is not (1 or 3))
            throw new ArgumentException($"edges need images [N, 1 or 3, H, W]; got [{string.Join(", ", images.shape)}].", nameof(images));
        if (!(Sigma >= 0) || !(Low >= 0) || !(High >= Low))
            throw new ArgumentException($"need sigma >= 0 and 0 <= low <= high; got {this}.");
        using var scope = NewDisposeScope();
        int n = (int)images.shape[0], h = (int)images.shape[2], w = (int)images.shape[3];
        Tensor grey = images.shape[1] == 1
            ? images[.., 0]
            : 0.299 * images[.., 0] + 0.587 * images[.., 1] + 0.114 * images[.., 2];                   // [N, H, W]
        float[] pixels = grey.to(ScalarType.Float32).contiguous().cpu().data<float>().ToArray();
        var edges = new float[pixels.Length];
        double[] kernel = GaussianKernel(Sigma);
        Parallel.For(0, n, i => DetectOne(pixels.AsSpan(i * h * w, h * w), edges.AsSpan(i * h * w, h * w), h, w, kernel));
        return tensor(edges, [n, 1, h, w]).MoveToOuterDisposeScope();
    }

    private void DetectOne(ReadOnlySpan<float> image, Span<float> edges, int h, int w, double[] kernel)
    {
        double[] smooth = Smooth(image, h, w, kernel);
        var magnitude = new double[h * w];
        var sector = new byte[h * w];                                                                  // 0: E-W, 1: NE-SW, 2: N-S, 3: NW-SE
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                double At(int dy, int dx) => smooth[Math.Clamp(y + dy, 0, h - 1) * w + Math.Clamp(x + dx, 0, w - 1)];
                double gx = (At(-1, 1) + 2 * At(0, 1) + At(1, 1) - At(-1, -1) - 2 * At(0, -1) - At(1, -1)) / 4;
                double gy = (At(1, -1) + 2 * At(1, 0) + At(1, 1) - At(-1, -1) - 2 * At(-1, 0) - At(-1, 1)) / 4;
                magnitude[y * w + x] = Math.Sqrt(gx * gx + gy * gy);
                double angle = Math.Atan2(gy, gx) * 180 / Math.PI;                                    // (-180, 180]
                if (angle < 0) angle += 180;
                sector[y * w + x] = (byte)((int)Math.Round(angle / 45) % 4);
            }
        }

        // Non-maximum suppression: a ridge pixel is at least its neighbour on one side across the edge and above the other
        // (the tie broken one way, so a plateau two pixels wide keeps one).
        var thin = new double[h * w];
        int[][] across = [[0, 1], [1, 1], [1, 0], [1, -1]];                                          // (dy, dx) along the gradient
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                double m = magnitude[y * w + x];
                if (m <= 0) continue;
                int dy = across[sector[y * w + x]][0], dx = across[sector[y * w + x]][1];
                double Neighbour(int sign)
                {
                    int yy = y + sign * dy, xx = x + sign * dx;
                    return yy < 0 || yy >= h || xx < 0 || xx >= w ? 0 : magnitude[yy * w + xx];
                }
                if (m >= Neighbour(-1) && m > Neighbour(1)) thin[y * w + x] = m;
            }
        }

        // Hysteresis: grow from the strong pixels through weak ones.
        var stack = new Stack<int>();
        for (int i = 0; i < h * w; i++)
        {
            if (thin[i] >= High && thin[i] > 0) { edges[i] = 1; stack.Push(i); }
        }
        while (stack.Count > 0)
        {
            int i = stack.Pop(), y = i / w, x = i % w;
            for (int dy = -1; dy <= 1; dy++)
            {
                for (int dx = -1; dx <= 1; dx++)
                {
                    int yy = y + dy, xx = x + dx;
                    if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
                    int j = yy * w + xx;
                    if (edges[j] == 0 && thin[j] >= Low && thin[j] > 0) { edges[j] = 1; stack.Push(j); }
                }
            }
        }
    }

    /// <summary>The normalised Gaussian of standard deviation sigma on [-ceil(3 sigma), ceil(3 sigma)]; [1] for sigma 0.</summary>
    internal static double[] GaussianKernel(double sigma)
    {
        if (sigma <= 0) return [1.0];
        int radius = (int)Math.Ceiling(3 * sigma);
        double[] kernel = [.. Enumerable.Range(-radius, 2 * radius + 1).Select(d => Math.Exp(-d * d / (2 * sigma * sigma)))];
        double sum = kernel.Sum();
        return [.. kernel.Select(k => k / sum)];
    }

    /// <summary>Separable convolution with the kernel, rows then columns, borders replicated.</summary>
    private static double[] Smooth(ReadOnlySpan<float> image, int h, int w, double[] kernel)
    {
        int radius = kernel.Length / 2;
        var rows = new double[h * w];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double sum = 0;
                for (int k = -radius; k <= radius; k++) sum += kernel[k + radius] * image[y * w + Math.Clamp(x + k, 0, w - 1)];
                rows[y * w + x] = sum;
            }
        var result = new double[h * w];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double sum = 0;
                for (int k = -radius; k <= radius; k++) sum += kernel[k + radius] * rows[Math.Clamp(y + k, 0, h - 1) * w + x];
                result[y * w + x] = sum;
            }
        return result;
    }
}
