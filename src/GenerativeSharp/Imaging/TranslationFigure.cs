using static TorchSharp.torch;

namespace GenerativeSharp.Imaging;

/// <summary>
/// The figure of an image-to-image model: one row per example, input | output | truth (or any columns), tiled by
/// <see cref="ImageGrid"/>. Grey images next to colour ones are shown as grey RGB.
/// </summary>
public static class TranslationFigure
{
    /// <summary>inputs, outputs, truths [N, C, S, S] in [0, 1] (C 1 or 3 each, one side) -> a PNG of N rows and 3 columns.</summary>
    public static void Write(string path, Tensor inputs, Tensor outputs, Tensor truths, int scale = 2) =>
        WriteColumns(path, [inputs, outputs, truths], scale);

    /// <summary>Columns of images [N, C, S, S] in [0, 1] (C 1 or 3 each, one side) -> a PNG of N rows, one image of each column per row.</summary>
    public static void WriteColumns(string path, IReadOnlyList<Tensor> columns, int scale = 2)
    {
        using var scope = NewDisposeScope();
        long n = columns[0].shape[0];
        if (columns.Any(c => c.shape[0] != n))
            throw new ArgumentException($"expected {n} images in every column; got {string.Join(", ", columns.Select(c => c.shape[0]))}.");
        bool colour = columns.Any(t => t.shape[1] == 3);
        Tensor Rgb(Tensor t) => colour && t.shape[1] == 1 ? t.expand(-1, 3, -1, -1) : t;
        Tensor rows = stack([.. columns.Select(c => Rgb(c.cpu()))], 1);                                // [N, K, C, S, S]
        ImageGrid.Write(path, rows.flatten(0, 1), columns: columns.Count, padding: 2, scale: scale);  // [K N, C, S, S], row by row
    }
}
