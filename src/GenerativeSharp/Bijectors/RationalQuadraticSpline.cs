using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Bijectors;

/// <summary>
/// The monotonic rational-quadratic spline of Neural Spline Flows (Durkan, Bekasov, Murray and
/// Papamakarios 2019, arXiv:1906.04140, section 3.1, after Gregory and Delbourgo 1982), applied
/// elementwise. K bins cover [-B, B] in both input and output; outside it the map is the identity
/// ("linear tails"), so the boundary derivatives are fixed at 1. Each element has its own
/// 3K - 1 unconstrained parameters: K bin widths, K bin heights (both through a softmax) and K - 1
/// interior knot derivatives (through a softplus).
/// <see cref="Apply"/> evaluates the spline (a direct formula); <see cref="ApplyInverse"/> solves
/// the quadratic of eq. 6 to 8 per element. Both return log |dy/dx| or log |dx/dy| per element.
/// </summary>
public static class RationalQuadraticSpline
{
    /// <summary>Smallest bin width and height, as a fraction of 2B (keeps every bin invertible).</summary>
    public const double MinimumBinSize = 1e-3;

    /// <summary>Smallest knot derivative.</summary>
    public const double MinimumDerivative = 1e-3;

    /// <summary>Unconstrained parameters per element for <paramref name="bins"/> bins.</summary>
    public static int ParametersPerElement(int bins) => 3 * bins - 1;

    /// <summary>
    /// y = g(x) elementwise. <paramref name="x"/> is [...]; <paramref name="parameters"/> is
    /// [..., 3K - 1] (widths, heights, interior derivatives, in that order on the last axis).
    /// Returns y [...] and log |g'(x)| [...].
    /// </summary>
    public static (Tensor Output, Tensor LogDerivative) Apply(Tensor x, Tensor parameters, double tailBound) =>
        Evaluate(x, parameters, tailBound, inverse: false);

    /// <summary>x = g^{-1}(y) elementwise, with log |dx/dy| [...]; the same parameter layout as <see cref="Apply"/>.</summary>
    public static (Tensor Output, Tensor LogDerivative) ApplyInverse(Tensor y, Tensor parameters, double tailBound) =>
        Evaluate(y, parameters, tailBound, inverse: true);

    /// <summary>The spline or its inverse inside [-B, B], the identity (log-derivative 0) outside.</summary>
    private static (Tensor Output, Tensor LogDerivative) Evaluate(Tensor input, Tensor parameters, double tailBound, bool inverse)
    {
        using var scope = NewDisposeScope();
        Knots k = Knots.From(parameters, tailBound);
        Tensor inside = input.ge(-tailBound).logical_and(input.le(tailBound));
        Tensor clamped = input.clamp(-tailBound, tailBound);
        Bin b = k.Select(BinIndex(inverse ? k.OutputEdges : k.InputEdges, clamped));   // bin index [..., 1]
        Tensor curvature = b.D0 + b.D1 - 2 * b.Slope;

        Tensor theta, moved;
        if (inverse)
        {
            // theta solves a theta^2 + b theta + c = 0 (eq. 6-8), taking the root in [0, 1] in its
            // numerically stable form 2c / (-b - sqrt(b^2 - 4ac)).
            Tensor offset = clamped - b.Y0;
            Tensor qa = b.Height * (b.Slope - b.D0) + offset * curvature;
            Tensor qb = b.Height * b.D0 - offset * curvature;
            Tensor qc = -b.Slope * offset;
            Tensor discriminant = (qb.square() - 4 * qa * qc).clamp_min(0);
            theta = (2 * qc / (-qb - discriminant.sqrt())).clamp(0, 1);
            moved = b.X0 + theta * b.Width;
        }
        else
        {
            theta = (clamped - b.X0) / b.Width;                            // [...] in [0, 1]
            Tensor mixedTheta = theta * (1 - theta);
            moved = b.Y0 + b.Height * (b.Slope * theta.square() + b.D0 * mixedTheta) / (b.Slope + curvature * mixedTheta);
        }

        // dy/dx at theta (eq. 5): slope^2 (d1 theta^2 + 2 slope theta (1 - theta) + d0 (1 - theta)^2) / denominator^2.
        Tensor oneMinus = 1 - theta;
        Tensor mixed = theta * oneMinus;
        Tensor denominator = b.Slope + curvature * mixed;
        Tensor numerator = b.Slope.square() * (b.D1 * theta.square() + 2 * b.Slope * mixed + b.D0 * oneMinus.square());
        Tensor logDerivative = numerator.log() - 2 * denominator.log();
        if (inverse) logDerivative = -logDerivative;

        Tensor output = where(inside, moved, input);
        Tensor logDet = where(inside, logDerivative, zeros_like(logDerivative));
        return (output.MoveToOuterDisposeScope(), logDet.MoveToOuterDisposeScope());
    }

    /// <summary>The bin of each value: the number of interior edges at or below it, [..., 1] (int64).</summary>
    private static Tensor BinIndex(Tensor edges, Tensor value)
    {
        long k = edges.shape[^1] - 1;
        Tensor interior = edges.narrow(-1, 1, k - 1);                      // [..., K - 1]
        return value.unsqueeze(-1).ge(interior).sum(-1, keepdim: true, type: ScalarType.Int64);
    }

    /// <summary>One bin per element: its corner (X0, Y0), size, slope and the knot derivatives at both ends.</summary>
    private readonly record struct Bin(Tensor X0, Tensor Y0, Tensor Width, Tensor Height, Tensor Slope, Tensor D0, Tensor D1);

    /// <summary>The knots of every element's spline: edges [..., K + 1] in x and y, derivatives [..., K + 1].</summary>
    private readonly record struct Knots(Tensor InputEdges, Tensor OutputEdges, Tensor Derivatives)
    {
        public static Knots From(Tensor parameters, double tailBound)
        {
            long last = parameters.shape[^1];
            if ((last + 1) % 3 != 0) throw new ArgumentException($"a spline needs 3K - 1 parameters per element; got {last}.");
            long bins = (last + 1) / 3;
            Tensor[] parts = parameters.split([bins, bins, bins - 1], -1);
            Tensor inputEdges = Edges(parts[0], tailBound);
            Tensor outputEdges = Edges(parts[1], tailBound);
            // softplus(c) + min = 1 at c = log(e^(1 - min) - 1): zero parameters give unit derivatives.
            double shift = Math.Log(Math.Exp(1 - MinimumDerivative) - 1);
            Tensor interior = nn.functional.softplus(parts[2] + shift) + MinimumDerivative;
            Tensor derivatives = nn.functional.pad(interior, [1, 1], value: 1.0);   // [..., K + 1]
            return new Knots(inputEdges, outputEdges, derivatives);
        }

        /// <summary>Softmax bin sizes (at least the minimum), accumulated to edges from -B to B: [..., K] -> [..., K + 1].</summary>
        private static Tensor Edges(Tensor unconstrained, double tailBound)
        {
            long bins = unconstrained.shape[^1];
            Tensor sizes = MinimumBinSize + (1 - MinimumBinSize * bins) * unconstrained.softmax(-1);
            Tensor cumulative = nn.functional.pad(sizes.cumsum(-1), [1, 0], value: 0.0);
            Tensor edges = 2 * tailBound * cumulative - tailBound;
            // Pin both ends exactly, so rounding in the cumulative sum never leaves a gap at +-B.
            long[] last = [.. edges.shape[..^1], 1];
            return cat([full(last, -tailBound, dtype: edges.dtype, device: edges.device),
                edges.narrow(-1, 1, bins - 1),
                full(last, tailBound, dtype: edges.dtype, device: edges.device)], -1);
        }

        public Bin Select(Tensor bin)
        {
            Tensor x0 = InputEdges.gather(-1, bin).squeeze(-1);
            Tensor y0 = OutputEdges.gather(-1, bin).squeeze(-1);
            Tensor width = InputEdges.gather(-1, bin + 1).squeeze(-1) - x0;
            Tensor height = OutputEdges.gather(-1, bin + 1).squeeze(-1) - y0;
            Tensor d0 = Derivatives.gather(-1, bin).squeeze(-1);
            Tensor d1 = Derivatives.gather(-1, bin + 1).squeeze(-1);
            return new Bin(x0, y0, width, height, height / width, d0, d1);
        }
    }
}
