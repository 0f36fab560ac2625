namespace GenerativeSharp.Imaging;

/// <summary>The fixed visible range of a 2-D plot: x from <see cref="XMin"/> to <see cref="XMax"/>, y from <see cref="YMin"/> to <see cref="YMax"/>.</summary>
public sealed record AxisLimits(double XMin, double XMax, double YMin, double YMax)
{
    /// <summary>The square [-half, half] x [-half, half].</summary>
    public static AxisLimits Square(double half) => new(-half, half, -half, half);

    /// <summary>Throws unless both ranges are finite and non-empty.</summary>
    internal void Check(string paramName)
    {
        if (!(double.IsFinite(XMin) && double.IsFinite(XMax) && double.IsFinite(YMin) && double.IsFinite(YMax)
              && XMin < XMax && YMin < YMax))
        {
            throw new ArgumentException(
                $"Expected finite limits with XMin < XMax and YMin < YMax, got x [{XMin}, {XMax}], y [{YMin}, {YMax}].", paramName);
        }
    }
}
