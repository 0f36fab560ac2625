namespace GenerativeSharp.Training;

/// <summary>
/// A learning-rate schedule by update count: the factor on the base rate after t updates. The count
/// is saved with the optimizer state, so a resumed run continues the same schedule.
/// </summary>
public interface ILearningRateSchedule
{
    /// <summary>The factor applied to the base learning rate after <paramref name="updates"/> updates.</summary>
    double Factor(long updates);
}

/// <summary>
/// Constant for <paramref name="ConstantUpdates"/> updates, then linear to zero over
/// <paramref name="DecayUpdates"/> more: the schedule of pix2pix and CycleGAN (Isola et al. 2017,
/// Zhu et al. 2017: 100 epochs at the base rate, then 100 decaying to zero).
/// </summary>
public sealed record LinearDecay(long ConstantUpdates, long DecayUpdates) : ILearningRateSchedule
{
    public double Factor(long updates) =>
        updates <= ConstantUpdates ? 1.0 : Math.Max(0.0, 1.0 - (double)(updates - ConstantUpdates) / Math.Max(1, DecayUpdates));
}
