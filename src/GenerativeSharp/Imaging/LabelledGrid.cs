using TorchSharp;

namespace GenerativeSharp.Imaging;

/// <summary>
/// A PNG grid of images with a short label (digits, '-', ',', ' ') printed under each tile in a built-in
/// 3x5 pixel font: no font files, the same bytes on every machine. Used by breeding to show each child's seed.
/// </summary>
public static class LabelledGrid
{
    private const int GlyphScale = 2;
    private const int LabelHeight = 5 * GlyphScale + 6;
    private static readonly Dictionary<char, string> Glyphs = new()
    {
        ['0'] = "111101101101111", ['1'] = "010110010010111", ['2'] = "111001111100111", ['3'] = "111001111001111",
        ['4'] = "101101111001001", ['5'] = "111100111001111", ['6'] = "111100111101111", ['7'] = "111001001001001",
        ['8'] = "111101111101111", ['9'] = "111101111001111", ['-'] = "000000111000000", [','] = "000000000010100",
        [' '] = "000000000000000",
    };

    /// <summary>Writes images [N, C, H, W] in [0, 1] with labels[i] under tile i; a null label leaves that cell empty.</summary>
    public static void Write(string path, torch.Tensor images, IReadOnlyList<string?> labels, int columns, int scale = 2)
    {
        if (images.dim() != 4 || images.shape[0] != labels.Count)
            throw new ArgumentException($"expected [N, C, H, W] images and N labels; got [{string.Join(", ", images.shape)}] and {labels.Count}.");
        int n = labels.Count, padding = 4;
        int tileW = (int)images.shape[3] * scale, tileH = (int)images.shape[2] * scale;
        int labelWidth = labels.Max(l => l?.Length ?? 0) * 4 * GlyphScale;
        int cellW = Math.Max(tileW, labelWidth), cellH = tileH + LabelHeight;
        int rows = (n + columns - 1) / columns;
        int width = columns * cellW + (columns + 1) * padding, height = rows * cellH + (rows + 1) * padding;
        var pixels = new byte[width * height * 3];
        Array.Fill(pixels, (byte)255);
        for (int i = 0; i < n; i++)
        {
            if (labels[i] is not string label) continue;
            int left = padding + i % columns * (cellW + padding), top = padding + i / columns * (cellH + padding);
            using torch.Tensor one = images.narrow(0, i, 1);
            RgbImage tile = ImageGrid.Render(one, columns: 1, padding: 0, scale: scale);
            int offset = left + (cellW - tileW) / 2;
            for (int y = 0; y < tile.Height; y++)
                Array.Copy(tile.Pixels, y * tile.Width * 3, pixels, ((top + y) * width + offset) * 3, tile.Width * 3);
            DrawText(pixels, width, left + (cellW - label.Length * 4 * GlyphScale) / 2, top + tileH + 3, label);
        }
        PngFile.Write(path, pixels, width, height, channels: 3);
    }

    private static void DrawText(byte[] pixels, int width, int left, int top, string text)
    {
        for (int c = 0; c < text.Length; c++)
        {
            string glyph = Glyphs.TryGetValue(text[c], out string? g) ? g
                : throw new ArgumentException($"label character '{text[c]}' is not in the built-in font (digits, '-', ',', ' ').");
            for (int gy = 0; gy < 5; gy++)
                for (int gx = 0; gx < 3; gx++)
                {
                    if (glyph[gy * 3 + gx] != '1') continue;
                    for (int sy = 0; sy < GlyphScale; sy++)
                        for (int sx = 0; sx < GlyphScale; sx++)
                        {
                            int x = left + (c * 4 + gx) * GlyphScale + sx, y = top + gy * GlyphScale + sy;
                            Array.Fill(pixels, (byte)0, (y * width + x) * 3, 3);
                        }
                }
        }
    }
}
