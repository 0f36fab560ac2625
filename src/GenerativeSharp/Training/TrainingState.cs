using GenerativeSharp.Data;

namespace GenerativeSharp.Training;

/// <summary>
/// Where a run stands. The position inside the data follows from <see cref="Step"/> alone
/// (epoch = Step / StepsPerEpoch, batch = Step % StepsPerEpoch), which is what makes resuming exact.
/// <see cref="Target"/> and <see cref="ImageSize"/> complete the data's description for image
/// folders (absent in checkpoints written before they existed, which read as null).
/// </summary>
public sealed record TrainingState(
    string Data,
    BinarizationMode Binarize,
    long Seed,
    int BatchSize,
    double LearningRate,
    long StepsPerEpoch,
    long TotalSteps,
    long Step,
    string? Target = null,
    int? ImageSize = null)
{
    public int Epoch => (int)(Step / StepsPerEpoch);

    public bool Finished => Step >= TotalSteps;
}
