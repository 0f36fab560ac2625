using GenerativeSharp.Imaging;
using SkiaSharp;

namespace GenerativeSharp.Tests.Docs;

/// <summary>
/// A smiley drawn with the drawing library the project's plots use (SkiaSharp, through ScottPlot): a yellow face with
/// a dark outline, two eyes and a smile on white. It is no emoji of either style, so translating it shows what an
/// emoji translator does outside its data (docs/images/drawn-smiley-64.png is this drawing at 64 x 64; a test keeps
/// the two equal).
/// </summary>
internal static class DrawnSmiley
{
    public const string DocsPath = "docs/images/drawn-smiley-64.png";

    /// <summary>The smiley on a side x side white canvas.</summary>
    public static RgbImage Draw(int side = 64)
    {
        var info = new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            float s = side / 64f;
            using var face = new SKPaint { Color = new SKColor(255, 204, 51), IsAntialias = true, Style = SKPaintStyle.Fill };
            using var ink = new SKPaint { Color = new SKColor(60, 40, 20), IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 3 * s };
            using var eyes = new SKPaint { Color = new SKColor(60, 40, 20), IsAntialias = true, Style = SKPaintStyle.Fill };
            canvas.DrawCircle(32 * s, 32 * s, 27 * s, face);
            canvas.DrawCircle(32 * s, 32 * s, 27 * s, ink);
            canvas.DrawOval(23 * s, 25 * s, 3.5f * s, 5.5f * s, eyes);
            canvas.DrawOval(41 * s, 25 * s, 3.5f * s, 5.5f * s, eyes);
            using var smile = new SKPath();
            smile.AddArc(new SKRect(18 * s, 22 * s, 46 * s, 48 * s), 20, 140);
            canvas.DrawPath(smile, ink);
            canvas.Flush();
        }
        ReadOnlySpan<byte> rgba = bitmap.GetPixelSpan();                                                // premultiplied, opaque here
        var rgb = new byte[side * side * 3];
        for (int i = 0, j = 0; j < rgb.Length; i += 4, j += 3)
        {
            int transparency = 255 - rgba[i + 3];
            for (int c = 0; c < 3; c++) rgb[j + c] = (byte)Math.Min(255, rgba[i + c] + transparency);
        }
        return new RgbImage(rgb, side, side);
    }
}
