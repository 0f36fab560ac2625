namespace GenerativeSharp.Imaging;

/// <summary>A named line for <see cref="Plot2D.Lines"/>: point i is (X[i], Y[i]), e.g. (step, loss).</summary>
public sealed record LineSeries(string Label, double[] X, double[] Y);
