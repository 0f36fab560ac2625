using static TorchSharp.torch;

namespace GenerativeSharp.Completion;

/// <summary>Which pixels a generated completion mask hides.</summary>
public enum HoleShape
{
    /// <summary>The lower half of the rows: in raster order every known pixel comes first, so completion is the exact conditional.</summary>
    LowerHalf,

    /// <summary>The right half of the columns.</summary>
    RightHalf,

    /// <summary>A centred square of half the image's side.</summary>
    Center,

    /// <summary>A stamped watermark: two diagonal strokes, two pixels wide, crossing the image.</summary>
    Watermark,
}

/// <summary>Builds known-pixel masks (1 = known, 0 = missing) for the completion demo.</summary>
public static class CompletionMasks
{
    /// <summary>Parses a --hole value (lower-half, right-half, center, watermark) with a one-line error.</summary>
    public static HoleShape Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "lower-half" => HoleShape.LowerHalf,
        "right-half" => HoleShape.RightHalf,
        "center" => HoleShape.Center,
        "watermark" => HoleShape.Watermark,
        _ => throw new InvalidInputException($"--hole {text}: expected lower-half, right-half, center or watermark."),
    };

    /// <summary>A known-pixel mask float32 [count, 1, H, W] with <paramref name="shape"/> hidden in every image.</summary>
    public static Tensor Make(HoleShape shape, long count, long height, long width)
    {
        var known = new float[height * width];
        for (long y = 0; y < height; y++)
            for (long x = 0; x < width; x++)
                known[y * width + x] = Hidden(shape, y, x, height, width) ? 0f : 1f;
        using var one = tensor(known, [1, 1, height, width]);
        return one.expand(count, -1, -1, -1).contiguous();
    }

    /// <summary>A mask image (bright = missing, as a user paints it) as a known-pixel mask: 1 where the mask is below one half.</summary>
    public static Tensor FromMaskImage(Tensor maskImage) => maskImage.lt(0.5).to(ScalarType.Float32);

    private static bool Hidden(HoleShape shape, long y, long x, long height, long width) => shape switch
    {
        HoleShape.LowerHalf => y >= height / 2,
        HoleShape.RightHalf => x >= width / 2,
        HoleShape.Center => y >= height / 4 && y < height / 4 + height / 2 && x >= width / 4 && x < width / 4 + width / 2,
        HoleShape.Watermark => Math.Abs(y * width - x * height) <= Math.Max(height, width)                     // the main diagonal
            || Math.Abs(y * width - (width - 1 - x) * height) <= Math.Max(height, width),                     // the other one
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, null),
    };
}
