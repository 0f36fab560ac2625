namespace GenerativeSharp.Imaging;

/// <summary>A panel drawn like <see cref="Plot2D.Heatmap"/>: Values[row = y index from the bottom, column = x index].</summary>
public sealed record HeatmapPanel(string Title, AxisLimits Limits, double[,] Values) : PlotPanel(Title, Limits);
