using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Bijectors;

/// <summary>
/// Rational-quadratic spline coupling (Durkan, Bekasov, Murray and Papamakarios 2019, "Neural Spline
/// Flows", NeurIPS, arXiv:1906.04140, section 3.2 "RQ-NSF (C)"): with a binary mask b, the part
/// b x passes unchanged and conditions a monotonic <see cref="RationalQuadraticSpline"/> of K bins
/// on [-B, B] for each element of the rest (identity outside). A spline bends where an affine map
/// can only scale and shift, so one layer can pull a thin curved ridge (a spiral arm) into a line.
/// The density direction (<see cref="Inverse"/>, data -> latent) evaluates the spline; sampling
/// (<see cref="Forward"/>) inverts it in closed form. The conditioner's last layer starts at zero,
/// which gives uniform bins and unit slopes: the coupling starts as the identity.
/// </summary>
public sealed class SplineCoupling : Bijector
{
    private readonly nn.Module<Tensor, Tensor> conditioner;   // [B, ...shape] -> [B, (3K - 1) C, ...]
    private readonly Tensor mask;                               // [...shape], 1 = passes unchanged
    private readonly int parametersPerElement;
    private readonly double tailBound;

    /// <param name="mask">Which elements pass unchanged (1) and which the spline moves (0).</param>
    /// <param name="factory">Builds the conditioner; it is asked for 3K - 1 outputs per input.</param>
    /// <param name="bins">K, the number of spline bins.</param>
    /// <param name="tailBound">B: the spline acts on [-B, B]; the map is the identity outside.</param>
    public SplineCoupling(Tensor mask, ConditionerFactory factory, int bins, double tailBound) : base(nameof(SplineCoupling))
    {
        if (bins < 2) throw new ArgumentOutOfRangeException(nameof(bins), bins, "a spline needs at least 2 bins.");
        if (!(tailBound > 0)) throw new ArgumentOutOfRangeException(nameof(tailBound), tailBound, "the tail bound must be positive.");
        parametersPerElement = RationalQuadraticSpline.ParametersPerElement(bins);
        conditioner = factory(mask.shape, parametersPerElement);
        this.mask = mask;
        this.tailBound = tailBound;
        RegisterComponents();
    }

    public override (Tensor Output, Tensor LogDet) Forward(Tensor z) => Couple(z, inverse: true);

    public override (Tensor Output, Tensor LogDet) Inverse(Tensor x) => Couple(x, inverse: false);

    /// <summary>The spline (density direction) or its inverse on the masked-out part; the passed part is copied.</summary>
    private (Tensor Output, Tensor LogDet) Couple(Tensor input, bool inverse)
    {
        using var scope = NewDisposeScope();
        Tensor b = mask.to(input.dtype);
        Tensor passes = mask.to(ScalarType.Bool);
        Tensor parameters = SplineParameters(input * b);                   // [B, ...shape, 3K - 1]
        (Tensor moved, Tensor logDerivative) = inverse
            ? RationalQuadraticSpline.ApplyInverse(input, parameters, tailBound)
            : RationalQuadraticSpline.Apply(input, parameters, tailBound);
        Tensor output = where(passes, input, moved);
        Tensor logDet = SumPerExample(logDerivative * (1 - b));
        return (output.MoveToOuterDisposeScope(), logDet.MoveToOuterDisposeScope());
    }

    /// <summary>The conditioner's output rearranged so each element's parameters lie on the last axis.</summary>
    private Tensor SplineParameters(Tensor passed)
    {
        Tensor h = conditioner.call(passed);                               // [B, k C, ...rest]
        long[] split = [h.shape[0], parametersPerElement, mask.shape[0], .. mask.shape[1..]];
        return h.view(split).movedim([1], [-1]);                            // [B, C, ...rest, k]
    }
}
