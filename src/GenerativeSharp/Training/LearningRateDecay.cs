namespace GenerativeSharp.Training;

/// <summary>
/// Exponential learning-rate decay by update count: lr(t) = lr0 max(<paramref name="Floor"/>,
/// 2^(-t / <paramref name="HalfLifeSteps"/>)). It needs no total step count, so a run extended with
/// --steps or --resume keeps the same schedule; the count is saved with the optimizer state.
/// </summary>
public sealed record LearningRateDecay(double HalfLifeSteps, double Floor) : ILearningRateSchedule
{
    /// <summary>The factor applied to the base learning rate after <paramref name="updates"/> updates.</summary>
    public double Factor(long updates) => Math.Max(Floor, Math.Pow(2, -updates / HalfLifeSteps));
}
