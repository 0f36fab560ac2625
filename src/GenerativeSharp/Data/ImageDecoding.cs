using StbImageSharp;

namespace GenerativeSharp.Data;

/// <summary>One decoded image file: RGBA bytes (row-major, top row first, 4 per pixel) and whether the file itself was grey.</summary>
internal sealed record DecodedImage(byte[] Rgba, int Width, int Height, bool SourceIsGrey);

/// <summary>
/// Decodes image files for <see cref="ImageFolder"/>, composites them onto white and resizes them by
/// area averaging.
/// </summary>
internal static class ImageDecoding
{
    /// <summary>
    /// Decodes the PNG or JPEG at <paramref name="path"/> as 8-bit RGBA (stb_image expands palettes with
    /// tRNS transparency and grey, and reduces 16-bit samples to their high byte).
    /// </summary>
    /// <exception cref="InvalidInputException">The file cannot be read or decoded; the message names it and says why.</exception>
    public static DecodedImage Decode(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"{path}: cannot be read ({e.Message}).", e);
        }

        ImageResult image;
        try
        {
            image = ImageResult.FromMemory(bytes, ColorComponents.RedGreenBlueAlpha);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The decoder is a translation of C code: corrupt bytes can surface as any exception type.
            throw new InvalidInputException($"{path}: not a readable image ({Reason(e)}).", e);
        }

        bool grey = image.SourceComp is ColorComponents.Grey or ColorComponents.GreyAlpha;
        return new DecodedImage(image.Data, image.Width, image.Height, grey);
    }

    /// <summary>The decoder's reason on one line; for some truncated files it is only NUL characters.</summary>
    private static string Reason(Exception e)
    {
        string reason = new string([.. e.Message.Select(c => char.IsControl(c) ? ' ' : c)]).Trim();
        return reason.Length == 0 ? "corrupt or truncated data" : reason;
    }

    /// <summary>
    /// Writes <paramref name="image"/> composited onto white (c*a + (1 - a), so transparent pixels
    /// become white) into <paramref name="destination"/> as float [channels, H, W] in [0, 1]: channels 3
    /// is RGB, channels 1 the red channel (equal to the grey value of a grey file). With
    /// <paramref name="size"/> the image is first resized to size x size by area averaging (see
    /// <see cref="AreaResize"/>).
    /// </summary>
    public static void Write(DecodedImage image, int channels, int? size, Span<float> destination)
    {
        int height = image.Height, width = image.Width;
        if (size is not int n || (n == height && n == width))
        {
            Composite(image, channels, destination);
            return;
        }

        var composited = new float[channels * height * width]; // [C, H, W]
        Composite(image, channels, composited);
        AreaResize(composited, channels, height, width, n, destination);
    }

    /// <summary>RGBA bytes composited onto white, as float [channels, H, W].</summary>
    private static void Composite(DecodedImage image, int channels, Span<float> chw)
    {
        byte[] rgba = image.Rgba;
        int plane = image.Width * image.Height;
        for (int p = 0; p < plane; p++)
        {
            float alpha = rgba[4 * p + 3] / 255f;
            float white = 1f - alpha;
            for (int c = 0; c < channels; c++) chw[c * plane + p] = rgba[4 * p + c] / 255f * alpha + white;
        }
    }

    /// <summary>
    /// Resizes [channels, height, width] to [channels, size, size] by area averaging (like PIL's BOX
    /// filter or OpenCV's INTER_AREA): each output pixel is the mean of the source pixels its area
    /// covers, source pixels at its edges weighted by the fraction covered. A non-square image is
    /// stretched to a square, not cropped. When enlarging, an output pixel covers part of one or two
    /// source pixels, so this becomes near-nearest-neighbour box sampling.
    /// </summary>
    private static void AreaResize(float[] source, int channels, int height, int width, int size, Span<float> destination)
    {
        AreaWeights across = AreaWeights.For(width, size), down = AreaWeights.For(height, size);
        var rows = new float[channels * height * size]; // [C, H, size]: each source row resized across
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < height; y++)
            {
                int from = (c * height + y) * width, to = (c * height + y) * size;
                for (int x = 0; x < size; x++)
                {
                    float sum = 0f;
                    float[] weights = across.Weights[x];
                    for (int k = 0; k < weights.Length; k++) sum += weights[k] * source[from + across.First[x] + k];
                    rows[to + x] = sum;
                }
            }

        destination[..(channels * size * size)].Clear(); // [C, size, size]
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < size; y++)
            {
                float[] weights = down.Weights[y];
                Span<float> output = destination.Slice((c * size + y) * size, size);
                for (int k = 0; k < weights.Length; k++)
                {
                    int from = (c * height + down.First[y] + k) * size;
                    for (int x = 0; x < size; x++) output[x] += weights[k] * rows[from + x];
                }
            }
    }

    /// <summary>
    /// Area weights along one axis: output pixel i covers source interval [i*source/target,
    /// (i+1)*source/target); <see cref="First"/>[i] is the first source pixel it touches and
    /// <see cref="Weights"/>[i][k] the share of output pixel i that source pixel First[i]+k makes up
    /// (the shares sum to 1).
    /// </summary>
    private sealed record AreaWeights(int[] First, float[][] Weights)
    {
        public static AreaWeights For(int source, int target)
        {
            var first = new int[target];
            var weights = new float[target][];
            for (int i = 0; i < target; i++)
            {
                // Exact integer arithmetic in units of 1/target of a source pixel: output pixel i covers
                // [i*source, (i+1)*source) and source pixel j covers [j*target, (j+1)*target).
                long start = (long)i * source, end = (long)(i + 1) * source;
                int firstPixel = (int)(start / target), lastPixel = (int)((end - 1) / target);
                first[i] = firstPixel;
                weights[i] = new float[lastPixel - firstPixel + 1];
                for (int j = firstPixel; j <= lastPixel; j++)
                {
                    long overlap = Math.Min(end, (long)(j + 1) * target) - Math.Max(start, (long)j * target);
                    weights[i][j - firstPixel] = (float)((double)overlap / source);
                }
            }

            return new AreaWeights(first, weights);
        }
    }
}
