using ScottPlot;

namespace GenerativeSharp.Imaging;

/// <summary>
/// PNG plots for 2-D toy problems and training curves, drawn with ScottPlot and the embedded DejaVu
/// Sans font. Every file is written atomically and deterministically (see <see cref="PngFile"/>).
/// Axis limits are fixed by the caller, so plots of successive epochs line up; points outside them
/// are clipped, and non-finite points are left out.
/// </summary>
public static class Plot2D
{
    /// <summary>
    /// Writes a scatter plot of one or more named point sets in one panel, with a legend, axis labels
    /// "x1" / "x2" and the given title. Markers are small (2 px, slightly transparent) so that 10k
    /// points stay readable; the legend shows them enlarged.
    /// </summary>
    public static void Scatter(string path, string title, IReadOnlyList<PointSeries> series, AxisLimits limits, int width = 640, int height = 600)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        RenderScatter(title, series, limits, width, height).WritePng(path);
    }

    /// <summary>
    /// Writes a heat map of <paramref name="values"/>[row, column] (row = y index counted from the
    /// bottom, column = x index) whose cells tile <paramref name="limits"/> exactly, with a viridis
    /// colour bar and the given title. NaN and -infinity (e.g. a log density of zero) are drawn as the
    /// smallest finite value, +infinity as the largest; an array with no finite value is drawn as zeros.
    /// </summary>
    public static void Heatmap(string path, string title, double[,] values, AxisLimits limits, int width = 640, int height = 600)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        RenderHeatmap(title, values, limits, width, height).WritePng(path);
    }

    /// <summary>
    /// Writes several panels side by side in one PNG, each <paramref name="panelWidth"/> x
    /// <paramref name="panelHeight"/> pixels and drawn like <see cref="Scatter"/> or <see cref="Heatmap"/>.
    /// </summary>
    public static void Panels(string path, IReadOnlyList<PlotPanel> panels, int panelWidth = 520, int panelHeight = 500)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        RenderPanels(panels, panelWidth, panelHeight).WritePng(path);
    }

    /// <summary>
    /// Writes a line chart (e.g. loss against step) of one or more named series, with a legend, axis
    /// labels and a title. Both axes fit the data (linear scales).
    /// </summary>
    public static void Lines(string path, string title, string xLabel, string yLabel, IReadOnlyList<LineSeries> series, int width = 720, int height = 420)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        RenderLines(title, xLabel, yLabel, series, width, height).WritePng(path);
    }

    internal static RgbImage RenderScatter(string title, IReadOnlyList<PointSeries> series, AxisLimits limits, int width, int height)
    {
        PlotRenderer.CheckSize(width, height);
        Plot plot = BuildScatter(title, series, limits);
        return PlotRenderer.Render(plot, width, height);
    }

    internal static RgbImage RenderHeatmap(string title, double[,] values, AxisLimits limits, int width, int height)
    {
        PlotRenderer.CheckSize(width, height);
        Plot plot = BuildHeatmap(title, values, limits);
        return PlotRenderer.Render(plot, width, height);
    }

    internal static RgbImage RenderPanels(IReadOnlyList<PlotPanel> panels, int panelWidth, int panelHeight)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0)
        {
            throw new ArgumentException("Expected at least one panel, got none.", nameof(panels));
        }
        PlotRenderer.CheckSize(panelWidth, panelHeight);
        var images = new List<RgbImage>(panels.Count);
        foreach (PlotPanel panel in panels)
        {
            Plot plot = panel switch
            {
                ScatterPanel scatter => BuildScatter(scatter.Title, scatter.Series, scatter.Limits),
                HeatmapPanel heatmap => BuildHeatmap(heatmap.Title, heatmap.Values, heatmap.Limits),
                null => throw new ArgumentException("Expected panels, got a null entry.", nameof(panels)),
                _ => throw new ArgumentException($"Expected a ScatterPanel or HeatmapPanel, got {panel.GetType().Name}.", nameof(panels)),
            };
            images.Add(PlotRenderer.Render(plot, panelWidth, panelHeight));
        }
        return PlotRenderer.SideBySide(images);
    }

    internal static RgbImage RenderLines(string title, string xLabel, string yLabel, IReadOnlyList<LineSeries> series, int width, int height)
    {
        PlotRenderer.CheckSize(width, height);
        CheckSeries(series, s => (s?.Label, s?.X?.Length, s?.Y?.Length));
        Plot plot = PlotRenderer.NewPlot(title ?? "", xLabel ?? "", yLabel ?? "");
        foreach (LineSeries s in series)
        {
            (double[] x, double[] y) = FiniteOnly(s.X, s.Y);
            var line = plot.Add.Scatter(x, y);
            line.MarkerSize = 0;
            line.LineWidth = 2;
            line.LegendText = s.Label;
        }
        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.AutoScale();
        return PlotRenderer.Render(plot, width, height);
    }

    private static Plot BuildScatter(string title, IReadOnlyList<PointSeries> series, AxisLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.Check(nameof(limits));
        CheckSeries(series, s => (s?.Label, s?.X?.Length, s?.Y?.Length));
        Plot plot = PlotRenderer.NewPlot(title ?? "", "x1", "x2");
        var legend = new List<LegendItem>();
        for (int i = 0; i < series.Count; i++)
        {
            (float[] x, float[] y) = FiniteOnly(series[i].X, series[i].Y);
            Color color = plot.Add.Palette.GetColor(i);
            var points = plot.Add.ScatterPoints(x, y, color.WithAlpha(0.7));
            points.MarkerSize = 2;
            points.MarkerShape = MarkerShape.FilledCircle;
            legend.Add(new LegendItem
            {
                LabelText = series[i].Label,
                MarkerStyle = new MarkerStyle(MarkerShape.FilledCircle, 9, color),
            });
        }
        plot.ShowLegend(legend, Alignment.UpperRight);
        plot.Axes.SetLimits(limits.XMin, limits.XMax, limits.YMin, limits.YMax);
        return plot;
    }

    private static Plot BuildHeatmap(string title, double[,] values, AxisLimits limits)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(limits);
        limits.Check(nameof(limits));
        if (values.GetLength(0) < 1 || values.GetLength(1) < 1)
        {
            throw new ArgumentException(
                $"Expected values of shape [rows >= 1, columns >= 1], got [{values.GetLength(0)}, {values.GetLength(1)}].", nameof(values));
        }
        Plot plot = PlotRenderer.NewPlot(title ?? "", "x1", "x2");
        var heatmap = plot.Add.Heatmap(TopRowFirst(values));
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Rectangle = new CoordinateRect(limits.XMin, limits.XMax, limits.YMin, limits.YMax);
        plot.Add.ColorBar(heatmap);
        plot.Axes.SetLimits(limits.XMin, limits.XMax, limits.YMin, limits.YMax);
        return plot;
    }

    /// <summary>
    /// Flips the rows (ScottPlot draws row 0 at the top) and replaces non-finite values: NaN and
    /// -inf by the smallest finite value, +inf by the largest (all zeros when none is finite).
    /// </summary>
    internal static double[,] TopRowFirst(double[,] values)
    {
        int rows = values.GetLength(0), cols = values.GetLength(1);
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (double.IsFinite(v))
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }
        if (!double.IsFinite(min))
        {
            min = max = 0;
        }
        var result = new double[rows, cols];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                double v = values[rows - 1 - r, c];
                result[r, c] = double.IsFinite(v) ? v : double.IsPositiveInfinity(v) ? max : min;
            }
        }
        return result;
    }

    private static void CheckSeries<T>(IReadOnlyList<T> series, Func<T, (string? Label, int? X, int? Y)> describe)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count == 0)
        {
            throw new ArgumentException("Expected at least one series, got none.", nameof(series));
        }
        for (int i = 0; i < series.Count; i++)
        {
            (string? label, int? x, int? y) = describe(series[i]);
            if (x is null || y is null || label is null)
            {
                throw new ArgumentException($"Expected series {i} to have a label, X and Y, got a null.", nameof(series));
            }
            if (x != y)
            {
                throw new ArgumentException($"Expected series '{label}' to have as many X as Y values, got {x} and {y}.", nameof(series));
            }
        }
    }

    private static (T[] X, T[] Y) FiniteOnly<T>(T[] x, T[] y) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var keptX = new List<T>(x.Length);
        var keptY = new List<T>(y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            if (T.IsFinite(x[i]) && T.IsFinite(y[i]))
            {
                keptX.Add(x[i]);
                keptY.Add(y[i]);
            }
        }
        return (keptX.ToArray(), keptY.ToArray());
    }
}
