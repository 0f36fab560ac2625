using GenerativeSharp.Imaging;

namespace GenerativeSharp.Tests.Imaging;

/// <summary>Deterministic sample data for the plot tests (System.Random with a fixed seed, no torch RNG).</summary>
internal static class Plot2DExamples
{
    public static AxisLimits Limits { get; } = AxisLimits.Square(4);

    /// <summary>n points from two Gaussian blobs around (-1.5, 0) and (1.5, 0).</summary>
    public static PointSeries TwoBlobs(string label, int n, int seed)
    {
        var random = new Random(seed);
        var x = new float[n];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (float)(((i % 2 == 0) ? -1.5 : 1.5) + (0.4 * Normal(random)));
            y[i] = (float)(0.8 * Normal(random));
        }
        return new PointSeries(label, x, y);
    }

    /// <summary>log N(x; 0, I) on a rows x cols grid over <see cref="Limits"/>, with -inf in one corner and NaN in another.</summary>
    public static double[,] LogDensity(int rows, int cols)
    {
        var values = new double[rows, cols];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                double x = -4 + (8.0 * (c + 0.5) / cols), y = -4 + (8.0 * (r + 0.5) / rows);
                values[r, c] = (-0.5 * ((x * x) + (y * y))) - Math.Log(2 * Math.PI);
            }
        }
        values[0, 0] = double.NegativeInfinity;
        values[rows - 1, cols - 1] = double.NaN;
        return values;
    }

    public static LineSeries Loss(string label, int steps, double start)
    {
        double[] x = Enumerable.Range(0, steps).Select(i => (double)i).ToArray();
        double[] y = x.Select(s => start * Math.Exp(-s / 40) + 0.3 + (0.05 * Math.Sin(s))).ToArray();
        return new LineSeries(label, x, y);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
