using GenerativeSharp.Data;

namespace GenerativeSharp.Training;

/// <summary>
/// Where a run stands. The position inside the data follows from <see cref="Step"/> alone
/// (epoch = Step / StepsPerEpoch, batch = Step % StepsPerEpoch), which is what makes resuming exact.
/// </summary>
public sealed record TrainingState(
    string Data,
    BinarizationMode Binarize,
    long Seed,
    int BatchSize,
    double LearningRate,
    long StepsPerEpoch,
    long TotalSteps,
    long Step)
{
    public int Epoch => (int)(Step / StepsPerEpoch);

    public bool Finished => Step >= TotalSteps;
}
