using GenerativeSharp.Data;
using GenerativeSharp.Evaluation;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Evaluation;

/// <summary>Mode coverage on toy:checkerboard: its 8 squares as modes.</summary>
public sealed class CheckerboardModesTests
{
    [Fact]
    public void Draws_of_the_true_density_cover_all_8_squares_and_lie_inside_them()
    {
        using var generator = new Generator(3);
        using Tensor points = ToyDensities.Get("checkerboard").Sample(4000, generator);
        ModeCoverageResult result = CheckerboardModes.Measure(points);
        Assert.Equal(8, result.ModesCovered);
        Assert.Equal(8, result.Modes);
        Assert.Equal(1.0, result.HighQualityShare);
    }

    [Fact]
    public void Points_in_one_square_cover_one_and_points_in_the_empty_cells_or_outside_are_not_of_high_quality()
    {
        using Tensor one = tensor(new double[] { -3.5, -3.5, -3.1, -2.2, -2.5, -3.9 }, [3, 2]).to(ScalarType.Float32);   // cell (-2, -2)
        Assert.Equal((1, 1.0), (CheckerboardModes.Measure(one).ModesCovered, CheckerboardModes.Measure(one).HighQualityShare));
        using Tensor empty = tensor(new double[] { -3.5, -1.5, 0.5, 2.5, 5.0, 0.5, -4.5, -4.5 }, [4, 2]).to(ScalarType.Float32);   // (-2,-1), (0,1), outside x2
        ModeCoverageResult none = CheckerboardModes.Measure(empty);
        Assert.Equal(0, none.ModesCovered);
        Assert.Equal(0.0, none.HighQualityShare);
    }
}
