using GenerativeSharp.Data;
using GenerativeSharp.Imaging;
using GenerativeSharp.Models;
using static TorchSharp.torch;

namespace GenerativeSharp.Training;

/// <summary>
/// For 2-D data and a model with an exact density: three panels on the same axes, the data's
/// density (a normalised 2-D histogram of the training points), the model's density p(x) on a grid,
/// and the model's samples.
/// </summary>
public static class DensityPictures
{
    /// <summary>Grid cells per axis of both heat maps.</summary>
    public const int Cells = 160;

    public static void Write(string path, IDensityModel model, Tensor samples, TensorDataset reference, string title)
    {
        using var scope = NewDisposeScope();
        Tensor data = reference.Examples;                                          // [N, 2]
        double half = Math.Max(4.5, Math.Ceiling(data.abs().max().item<float>() * 1.05));
        var limits = AxisLimits.Square(half);
        PlotPanel[] panels =
        [
            new HeatmapPanel("data density (histogram)", limits, Histogram(data, half)),
            new HeatmapPanel("model density p(x)", limits, ModelDensity(model, half)),
            new ScatterPanel(title, limits, [PointSeries.FromTensor("samples", samples)]),
        ];
        Plot2D.Panels(path, panels);
    }

    /// <summary>p(x) at the centre of each cell: [row = y from the bottom, column = x].</summary>
    public static double[,] ModelDensity(IDensityModel model, double half)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Device device = (model as TorchSharp.torch.nn.Module)?.parameters().FirstOrDefault()?.device ?? CPU;
        Tensor centres = CellCentres(half);                                        // [Cells]
        Tensor[] grid = meshgrid([centres, centres], indexing: "ij");              // y, x: [Cells, Cells]
        Tensor points = stack([grid[1].flatten(), grid[0].flatten()], 1).to(device);   // [Cells^2, 2] as (x, y)
        float[] p = model.LogProb(points).exp().cpu().data<float>().ToArray();
        var values = new double[Cells, Cells];
        for (int row = 0; row < Cells; row++)
            for (int column = 0; column < Cells; column++)
                values[row, column] = p[row * Cells + column];
        return values;
    }

    /// <summary>The data's histogram, normalised to a density: [row = y from the bottom, column = x].</summary>
    public static double[,] Histogram(Tensor points, double half)
    {
        var values = new double[Cells, Cells];
        float[] xy = points.cpu().contiguous().data<float>().ToArray();
        double width = 2 * half / Cells;
        long n = xy.Length / 2;
        for (long i = 0; i < n; i++)
        {
            int column = (int)Math.Floor((xy[2 * i] + half) / width), row = (int)Math.Floor((xy[2 * i + 1] + half) / width);
            if (column >= 0 && column < Cells && row >= 0 && row < Cells) values[row, column] += 1.0 / (n * width * width);
        }
        return values;
    }

    private static Tensor CellCentres(double half)
    {
        double width = 2 * half / Cells;
        return linspace(-half + width / 2, half - width / 2, Cells, dtype: ScalarType.Float32);
    }
}
