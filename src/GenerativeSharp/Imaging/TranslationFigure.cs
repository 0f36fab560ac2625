using static TorchSharp.torch;

namespace GenerativeSharp.Imaging;

/// <summary>
/// The figure of an image-to-image model: one row per example, input | output | truth, tiled by
/// <see cref="ImageGrid"/>. Grey images next to colour ones are shown as grey RGB.
/// </summary>
public static class TranslationFigure
{
    /// <summary>inputs, outputs, truths [N, C, S, S] in [0, 1] (C 1 or 3 each, one side) -> a PNG of N rows and 3 columns.</summary>
    public static void Write(string path, Tensor inputs, Tensor outputs, Tensor truths, int scale = 2)
    {
        using var scope = NewDisposeScope();
        long n = inputs.shape[0];
        if (outputs.shape[0] != n || truths.shape[0] != n)
            throw new ArgumentException($"expected as many outputs and truths as inputs ({n}); got {outputs.shape[0]} and {truths.shape[0]}.");
        bool colour = new[] { inputs, outputs, truths }.Any(t => t.shape[1] == 3);
        Tensor Rgb(Tensor t) => colour && t.shape[1] == 1 ? t.expand(-1, 3, -1, -1) : t;
        Tensor rows = stack([Rgb(inputs.cpu()), Rgb(outputs.cpu()), Rgb(truths.cpu())], 1);          // [N, 3, C, S, S]
        ImageGrid.Write(path, rows.flatten(0, 1), columns: 3, padding: 2, scale: scale);           // [3N, C, S, S], row by row
    }
}
