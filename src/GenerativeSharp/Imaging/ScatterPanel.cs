namespace GenerativeSharp.Imaging;

/// <summary>A panel drawn like <see cref="Plot2D.Scatter"/>.</summary>
public sealed record ScatterPanel(string Title, AxisLimits Limits, IReadOnlyList<PointSeries> Series) : PlotPanel(Title, Limits);
