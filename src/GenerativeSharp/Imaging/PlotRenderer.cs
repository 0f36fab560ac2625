using ScottPlot;
using SkiaSharp;

namespace GenerativeSharp.Imaging;

/// <summary>
/// Turns ScottPlot plots into <see cref="RgbImage"/>s (so every PNG goes through <see cref="PngFile"/>:
/// atomic and deterministic) and sets the house look shared by all plots.
/// </summary>
internal static class PlotRenderer
{
    /// <summary>A new plot with the embedded font, a title (none when empty) and the given axis labels.</summary>
    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        PlotFonts.EnsureRegistered();
        var plot = new Plot(); // its labels take Fonts.Default, our family (plot.Font.Set would also pin every weight to normal)
        if (!string.IsNullOrEmpty(title))
        {
            plot.Title(title);
            plot.Axes.Title.Label.Bold = true;
        }
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    /// <summary>Draws <paramref name="plot"/> on a white <paramref name="width"/> x <paramref name="height"/> canvas.</summary>
    public static RgbImage Render(Plot plot, int width, int height)
    {
        CheckSize(width, height);
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            plot.Render(canvas, width, height);
            canvas.Flush();
        }
        ReadOnlySpan<byte> rgba = bitmap.GetPixelSpan(); // premultiplied [height, width, 4]
        var rgb = new byte[width * height * 3];
        for (int i = 0, j = 0; j < rgb.Length; i += 4, j += 3)
        {
            // Composite over white: with premultiplied alpha, out = c + (255 - a).
            int transparency = 255 - rgba[i + 3];
            rgb[j] = (byte)Math.Min(255, rgba[i] + transparency);
            rgb[j + 1] = (byte)Math.Min(255, rgba[i + 1] + transparency);
            rgb[j + 2] = (byte)Math.Min(255, rgba[i + 2] + transparency);
        }
        return new RgbImage(rgb, width, height);
    }

    /// <summary>Places images side by side, top-aligned, on white.</summary>
    public static RgbImage SideBySide(IReadOnlyList<RgbImage> images)
    {
        int width = images.Sum(image => image.Width);
        int height = images.Max(image => image.Height);
        var pixels = new byte[width * height * 3];
        Array.Fill(pixels, (byte)255);
        int left = 0;
        foreach (RgbImage image in images)
        {
            for (int y = 0; y < image.Height; y++)
            {
                Array.Copy(image.Pixels, y * image.Width * 3, pixels, ((y * width) + left) * 3, image.Width * 3);
            }
            left += image.Width;
        }
        return new RgbImage(pixels, width, height);
    }

    public static void CheckSize(int width, int height)
    {
        if (width < 64 || height < 64 || width > 8192 || height > 8192)
        {
            throw new ArgumentException($"Expected a plot size between 64 and 8192 pixels a side, got {width}x{height}.");
        }
    }
}
