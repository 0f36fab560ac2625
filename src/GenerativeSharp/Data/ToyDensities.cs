using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Data;

/// <summary>
/// The seven 2-D toy densities, defined as in FFJORD's toy_data (rtqichen/ffjord,
/// lib/toy_data.py) and docs/evaluation.md. Where FFJORD calls scikit-learn (make_moons,
/// make_circles, make_swiss_roll) the same distributions are drawn here with torch; moons and
/// circles draw their angles at random instead of evenly spaced (same entropy to within 0.02).
/// Mixture components get balanced counts in random order, as FFJORD's halves and quarters do.
/// Points are computed in float64 and returned as float32.
/// </summary>
public static class ToyDensities
{
    // The largest float32 below 1: keeps checkerboard fractions inside their cell after rounding.
    private const double MaxFraction = 1.0 - 1.0 / (1 << 23);

    /// <summary>
    /// All seven densities, in the order of docs/evaluation.md's table. Entropies: a 2-D quadrature of
    /// -p log p with the true log-density (<see cref="ToyLogDensities"/>); the tests repeat it.
    /// </summary>
    public static IReadOnlyList<ToyDensity> All { get; } =
    [
        new("checkerboard", Math.Log(32), Checkerboard, ToyLogDensities.Checkerboard),
        new("8gaussians", 2.832, EightGaussians, ToyLogDensities.EightGaussians),
        new("moons", 2.394, Moons, ToyLogDensities.Moons),
        new("circles", 3.268, Circles, ToyLogDensities.Circles),
        new("swissroll", 2.670, SwissRoll, ToyLogDensities.SwissRoll),
        new("2spirals", 2.645, TwoSpirals, ToyLogDensities.TwoSpirals),
        new("rings", 2.623, Rings, ToyLogDensities.Rings),
    ];

    /// <summary>The density called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="InvalidInputException">No density has that name; the message lists the seven.</exception>
    public static ToyDensity Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(t => string.Equals(t.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidInputException($"unknown toy density '{name}': expected one of {NameList}");
    }

    /// <summary>"checkerboard, 8gaussians, ..., rings".</summary>
    internal static string NameList => string.Join(", ", All.Select(t => t.Name));

    // x1 ~ U(-2, 2); x2 = U(0, 1) - 2 Bern(1/2) + (floor(x1) mod 2); both times 2.
    // Written as cell + fraction so float32 rounding never moves a point into a neighbouring cell.
    private static Tensor Checkerboard(int n, Generator g)
    {
        Tensor x1 = rand(n, dtype: float64, generator: g) * 4 - 2;                  // [n]
        Tensor u = rand(n, dtype: float64, generator: g);                           // [n]
        Tensor b = randint(2, [n], dtype: float64, generator: g);                   // [n]
        Tensor c1 = x1.floor();
        Tensor f1 = (x1 - c1).clamp(0.0, MaxFraction);
        Tensor c2 = c1.remainder(2) - 2 * b;
        Tensor f2 = u.clamp(0.0, MaxFraction);
        return stack([c1 + f1, c2 + f2], 1) * 2;                                    // [n, 2]
    }

    // A centre at radius 4 on one of 8 directions, plus 0.5 N(0, I), all divided by 1.414.
    private static Tensor EightGaussians(int n, Generator g)
    {
        Tensor angle = randint(8, [n], dtype: float64, generator: g) * (Math.PI / 4); // [n]
        Tensor centre = stack([angle.cos(), angle.sin()], 1) * 4;                    // [n, 2]
        Tensor noise = randn([n, 2], dtype: float64, generator: g) * 0.5;
        return (centre + noise) / 1.414;
    }

    // make_moons(noise 0.1) * 2 + (-1, -0.2): upper arc (cos t, sin t) and lower arc
    // (1 - cos t, 0.5 - sin t), t ~ U(0, pi).
    private static Tensor Moons(int n, Generator g)
    {
        Tensor upper = BalancedComponents(n, 2, g).eq(0).unsqueeze(1);              // [n, 1]
        Tensor t = rand(n, dtype: float64, generator: g) * Math.PI;                  // [n]
        Tensor upperArc = stack([t.cos(), t.sin()], 1);                              // [n, 2]
        Tensor lowerArc = stack([1 - t.cos(), 0.5 - t.sin()], 1);
        Tensor x = where(upper, upperArc, lowerArc) + randn([n, 2], dtype: float64, generator: g) * 0.1;
        return x * 2 + tensor(new[] { -1.0, -0.2 }, dtype: float64);
    }

    // make_circles(factor 0.5, noise 0.08) * 3: unit circle and radius-0.5 circle, t ~ U(0, 2 pi).
    private static Tensor Circles(int n, Generator g)
    {
        Tensor radius = where(BalancedComponents(n, 2, g).eq(0), 1.0, 0.5).unsqueeze(1); // [n, 1]
        Tensor t = rand(n, dtype: float64, generator: g) * (2 * Math.PI);
        Tensor x = radius * stack([t.cos(), t.sin()], 1) + randn([n, 2], dtype: float64, generator: g) * 0.08;
        return x * 3;
    }

    // make_swiss_roll(noise 1.0)[:, (0, 2)] / 5: t = 1.5 pi (1 + 2 U), (t cos t, t sin t) + N(0, I).
    private static Tensor SwissRoll(int n, Generator g)
    {
        Tensor t = (1 + 2 * rand(n, dtype: float64, generator: g)) * (1.5 * Math.PI); // [n]
        Tensor x = stack([t * t.cos(), t * t.sin()], 1) + randn([n, 2], dtype: float64, generator: g);
        return x / 5;
    }

    // s = sqrt(U) 3 pi; (-cos(s) s + U/2, sin(s) s + U/2) and its negation, / 3, + N(0, 0.1^2).
    private static Tensor TwoSpirals(int n, Generator g)
    {
        Tensor sign = where(BalancedComponents(n, 2, g).eq(0), 1.0, -1.0).unsqueeze(1); // [n, 1]
        Tensor s = rand(n, dtype: float64, generator: g).sqrt() * (3 * Math.PI);         // [n]
        Tensor jitter = rand([n, 2], dtype: float64, generator: g) * 0.5;                 // [n, 2]
        Tensor arm = stack([-s.cos() * s, s.sin() * s], 1) + jitter;
        return sign * arm / 3 + randn([n, 2], dtype: float64, generator: g) * 0.1;
    }

    // 4 circles of radius 3, 2.25, 1.5, 0.75 (equal counts), random angles, + N(0, 0.08^2).
    private static Tensor Rings(int n, Generator g)
    {
        Tensor radii = tensor(new[] { 3.0, 2.25, 1.5, 0.75 }, dtype: float64);
        Tensor radius = radii.index_select(0, BalancedComponents(n, 4, g)).unsqueeze(1); // [n, 1]
        Tensor t = rand(n, dtype: float64, generator: g) * (2 * Math.PI);
        return radius * stack([t.cos(), t.sin()], 1) + randn([n, 2], dtype: float64, generator: g) * 0.08;
    }

    // Component index of each point: counts differ by at most one, order random. int64 [n].
    private static Tensor BalancedComponents(int n, int components, Generator g) =>
        randperm(n, generator: g).remainder(components);
}
