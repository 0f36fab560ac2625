namespace GenerativeSharp.Imaging;

/// <summary>One panel of <see cref="Plot2D.Panels"/>: a titled plot over fixed axis limits.</summary>
public abstract record PlotPanel(string Title, AxisLimits Limits);
