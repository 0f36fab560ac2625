using TorchSharp;

namespace GenerativeSharp.Imaging;

/// <summary>A named set of 2-D points for <see cref="Plot2D.Scatter"/>: point i is (X[i], Y[i]).</summary>
public sealed record PointSeries(string Label, float[] X, float[] Y)
{
    /// <summary>Takes the points from a float tensor of shape [n, 2] (column 0 = x, column 1 = y), on any device.</summary>
    public static PointSeries FromTensor(string label, torch.Tensor points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.dim() != 2 || points.shape[1] != 2)
        {
            throw new ArgumentException(
                $"Expected points of shape [n, 2], got {points.dim()}-D shape [{string.Join(", ", points.shape)}].", nameof(points));
        }
        if (!points.is_floating_point())
        {
            throw new ArgumentException($"Expected a floating-point tensor of points, got {points.dtype}.", nameof(points));
        }
        using var scope = torch.NewDisposeScope();
        float[] xy = points.detach().to(torch.CPU).to_type(torch.ScalarType.Float32).contiguous().data<float>().ToArray(); // [n*2]
        int n = xy.Length / 2;
        var x = new float[n];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = xy[2 * i];
            y[i] = xy[(2 * i) + 1];
        }
        return new PointSeries(label, x, y);
    }

    /// <summary>Creates a series from a float[n, 2] array (column 0 = x, column 1 = y).</summary>
    public static PointSeries FromArray(string label, float[,] points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.GetLength(1) != 2)
        {
            throw new ArgumentException($"Expected points of shape [n, 2], got [{points.GetLength(0)}, {points.GetLength(1)}].", nameof(points));
        }
        int n = points.GetLength(0);
        var x = new float[n];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = points[i, 0];
            y[i] = points[i, 1];
        }
        return new PointSeries(label, x, y);
    }
}
