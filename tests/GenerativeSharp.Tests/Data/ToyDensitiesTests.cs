using GenerativeSharp.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Data;

/// <summary>
/// Each toy density: shape, finiteness, reproducibility, and a moment known in closed form
/// (tolerances are at least 5 standard errors for n = 20,000, so they never flake).
/// </summary>
public sealed class ToyDensitiesTests
{
    private const int N = 20_000;

    public static TheoryData<string> Names => new(ToyDensities.All.Select(t => t.Name));

    [Fact]
    public void All_seven_are_listed_in_table_order()
    {
        Assert.Equal(["checkerboard", "8gaussians", "moons", "circles", "swissroll", "2spirals", "rings"], ToyDensities.All.Select(t => t.Name));
        Assert.Equal(Math.Log(32), ToyDensities.Get("checkerboard").EntropyNats, 12);
    }

    /// <summary>Box half-width and grid step (half the noise's standard deviation, so the midpoint rule is exact to far below 1e-4) per toy.</summary>
    public static TheoryData<string, double, double> Grids => new()
    {
        { "checkerboard", 4, 0.05 }, { "8gaussians", 5.5, 0.17 }, { "moons", 5, 0.1 }, { "circles", 5, 0.12 },
        { "swissroll", 5, 0.1 }, { "2spirals", 5, 0.0625 }, { "rings", 4, 0.04 },
    };

    [Theory]
    [MemberData(nameof(Grids))]
    public void The_true_density_integrates_to_one_and_its_entropy_matches_the_constant(string name, double half, double step)
    {
        using var scope = NewDisposeScope();
        ToyDensity toy = ToyDensities.Get(name);
        int n = (int)Math.Round(2 * half / step);
        Tensor axis = (arange(n, dtype: float64) + 0.5) * step - half;                   // cell midpoints
        Tensor grid = stack(meshgrid([axis, axis], indexing: "ij"), 2).view(-1, 2);     // [n^2, 2]
        Tensor logP = toy.LogProb(grid);
        Tensor p = logP.exp();
        double area = step * step;
        double mass = p.sum().item<double>() * area;
        double entropy = -(p * where(p.gt(0), logP, 0.0)).sum().item<double>() * area;
        Assert.InRange(mass, 1 - 1e-4, 1 + 1e-4);
        Assert.True(Math.Abs(entropy - toy.EntropyNats) <= 0.0006, $"{name}: quadrature entropy {entropy:F5}, constant {toy.EntropyNats}");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Samples_score_the_entropy_under_the_true_density(string name)
    {
        using var scope = NewDisposeScope();
        ToyDensity toy = ToyDensities.Get(name);
        Tensor logP = toy.LogProb(Sample(name));
        Assert.True(logP.isfinite().all().item<bool>(), $"{name}: a sample has zero true density");
        double nll = -logP.mean().item<double>(), stdErr = logP.std().item<double>() / Math.Sqrt(N);
        Assert.True(Math.Abs(nll - toy.EntropyNats) <= 5 * stdErr + 1e-9, $"{name}: sample NLL {nll:F4} +- {stdErr:F4}, entropy {toy.EntropyNats}");
    }

    [Fact]
    public void Unknown_name_lists_the_valid_ones()
    {
        var e = Assert.Throws<InvalidInputException>(() => ToyDensities.Get("pinwheel"));
        Assert.Contains("checkerboard, 8gaussians, moons, circles, swissroll, 2spirals, rings", e.Message);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Samples_are_finite_float32_pairs_reproducible_by_seed(string name)
    {
        ToyDensity toy = ToyDensities.Get(name);
        using var g1 = new Generator(42);
        using var g2 = new Generator(42);
        using var g3 = new Generator(43);

        using Tensor a = toy.Sample(1001, g1);
        using Tensor b = toy.Sample(1001, g2);
        using Tensor c = toy.Sample(1001, g3);

        Assert.Equal([1001L, 2], a.shape);
        Assert.Equal(ScalarType.Float32, a.dtype);
        Assert.True(a.isfinite().all().item<bool>());
        Assert.True(a.equal(b).all().item<bool>());
        Assert.False(a.equal(c).all().item<bool>());
    }

    [Fact]
    public void Checkerboard_fills_alternate_2x2_cells_of_the_square()
    {
        using var scope = NewDisposeScope();
        Tensor x = Sample("checkerboard");                                     // [N, 2]
        Assert.True(x.ge(-4).all().item<bool>() && x.le(4).all().item<bool>());
        Tensor cells = (x / 2).floor().to(int64);                              // [N, 2], cells in -2..1
        Assert.True(cells.sum(1).remainder(2).eq(0).all().item<bool>());
        AssertMean(x, 0, 0, 0.1);
    }

    [Fact]
    public void EightGaussians_lie_on_a_ring_of_radius_4_over_1_414()
    {
        using var scope = NewDisposeScope();
        Tensor x = Sample("8gaussians");
        AssertMean(x, 0, 0, 0.1);
        // E|c + e| ~ r + sigma^2 / (2 r) with r = 2.829, sigma = 0.354.
        Assert.InRange(x.norm(1).mean().item<float>(), 2.80, 2.90);
    }

    [Fact]
    public void Moons_have_mean_0_0_3_and_lie_near_their_arcs()
    {
        using var scope = NewDisposeScope();
        Tensor x = Sample("moons");
        AssertMean(x, 0.0, 0.3, 0.06);
        // Arcs: radius 2 around (-1, -0.2) and (1, 0.8); noise 0.2 per coordinate.
        Tensor d1 = ((x - tensor(new[] { -1f, -0.2f })).norm(1) - 2).abs();
        Tensor d2 = ((x - tensor(new[] { 1f, 0.8f })).norm(1) - 2).abs();
        Assert.InRange(minimum(d1, d2).mean().item<float>(), 0.05, 0.2);
    }

    [Fact]
    public void Circles_split_evenly_between_radius_3_and_1_5()
    {
        using var scope = NewDisposeScope();
        Tensor x = Sample("circles");
        AssertMean(x, 0, 0, 0.1);
        Tensor r = x.norm(1);
        Assert.InRange(r.gt(2.25).to(float32).mean().item<float>(), 0.47, 0.53);
        Assert.InRange(r.mean().item<float>(), 2.22, 2.32);
    }

    [Fact]
    public void SwissRoll_matches_its_closed_form_moments()
    {
        using var scope = NewDisposeScope();
        Tensor x = Sample("swissroll");
        // E[t cos t] = 2 and E[t sin t] = 2 / (3 pi) for t ~ U(1.5 pi, 4.5 pi); / 5.
        AssertMean(x, 0.4, 2 / (3 * Math.PI) / 5, 0.08);
        // E|x|^2 = (E[t^2] + 2) / 25 with E[t^2] = 9.75 pi^2.
        Assert.InRange(x.square().sum(1).mean().item<float>(), 3.93 - 0.15, 3.93 + 0.15);
    }

    [Fact]
    public void TwoSpirals_are_symmetric_with_known_second_moment()
    {
        using var scope = NewDisposeScope();
        Tensor x = Sample("2spirals");
        AssertMean(x, 0, 0, 0.08);
        // E|x|^2 = (9 pi^2 / 2 + (4 / (3 pi) + 2 - 8 / (9 pi^2)) / 2 + 1 / 6) / 9 + 0.02 = 5.10.
        Assert.InRange(x.square().sum(1).mean().item<float>(), 5.10 - 0.15, 5.10 + 0.15);
    }

    [Fact]
    public void Rings_put_a_quarter_of_the_points_on_each_radius()
    {
        using var scope = NewDisposeScope();
        Tensor r = Sample("rings").norm(1);                                    // [N]
        Tensor radii = tensor(new[] { 3f, 2.25f, 1.5f, 0.75f });
        Tensor distance = (r.unsqueeze(1) - radii).abs();                      // [N, 4]
        (Tensor nearest, Tensor ring) = distance.min(1);
        for (int k = 0; k < 4; k++)
        {
            Assert.InRange(ring.eq(k).to(float32).mean().item<float>(), 0.23, 0.27);
        }

        Assert.InRange(nearest.mean().item<float>(), 0.03, 0.1);
    }

    private static Tensor Sample(string name)
    {
        using var g = new Generator(7);
        return ToyDensities.Get(name).Sample(N, g);
    }

    private static void AssertMean(Tensor x, double mean0, double mean1, double tolerance)
    {
        float[] mean = x.mean([0]).data<float>().ToArray();
        Assert.InRange(mean[0], mean0 - tolerance, mean0 + tolerance);
        Assert.InRange(mean[1], mean1 - tolerance, mean1 + tolerance);
    }
}
