using GenerativeSharp.Training;

namespace GenerativeSharp.Tests.Training;

public sealed class LearningRateDecayTests
{
    [Fact]
    public void Factor_halves_every_half_life_and_stops_at_the_floor()
    {
        var decay = new LearningRateDecay(HalfLifeSteps: 100, Floor: 0.1);
        Assert.Equal(1.0, decay.Factor(0));
        Assert.Equal(0.5, decay.Factor(100), 12);
        Assert.Equal(0.25, decay.Factor(200), 12);
        Assert.Equal(0.1, decay.Factor(10_000));
    }
}
