using GenerativeSharp.Imaging;
using static TorchSharp.torch;

namespace GenerativeSharp.Completion;

/// <summary>
/// The completion picture: one column per image; a row of originals (when known), a row of the
/// masked inputs with the missing pixels in red, then one row per completion.
/// </summary>
public static class CompletionFigure
{
    /// <param name="originals">[N, 1, H, W] or null (a user's damaged image has no original)</param>
    /// <param name="inputs">the images as given, [N, 1, H, W]</param>
    /// <param name="known">1 = known, [N, 1, H, W]</param>
    /// <param name="completions">[R, N, 1, H, W]: R completions of each image</param>
    public static RgbImage Render(Tensor? originals, Tensor inputs, Tensor known, Tensor completions, int scale = 2)
    {
        using var scope = NewDisposeScope();
        long n = inputs.shape[0];
        Tensor Rgb(Tensor gray) => gray.cpu().to(float32).expand(-1, 3, -1, -1);                 // [N, 3, H, W]
        Tensor hole = known.cpu().eq(0).expand(-1, 3, -1, -1);
        Tensor red = tensor(new float[] { 0.85f, 0.1f, 0.1f }).view(1, 3, 1, 1).expand_as(hole);
        Tensor masked = where(hole, red, Rgb(inputs));
        var rows = new List<Tensor>();
        if (originals is not null) rows.Add(Rgb(originals));
        rows.Add(masked);
        for (long r = 0; r < completions.shape[0]; r++) rows.Add(Rgb(completions[r]));
        return ImageGrid.Render(cat(rows, 0), columns: (int)n, padding: 2, scale: scale);
    }
}
