namespace GenerativeSharp.Training;

/// <summary>How the <see cref="Trainer"/> reports and saves; what to train is in <see cref="TrainingState"/>.</summary>
public sealed record TrainerOptions
{
    /// <summary>The run directory: checkpoint, metrics.jsonl, samples.png.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Also write the scalars and sample grids as TensorBoard event files in DIR/tensorboard (see <see cref="Logging.TensorBoardLog"/>).</summary>
    public bool TensorBoard { get; init; } = true;

    public ProgressMode Progress { get; init; } = ProgressMode.Auto;

    /// <summary>Averaged training metrics are logged every this many steps.</summary>
    public int LogEvery { get; init; } = 50;

    /// <summary>Test examples used by the evaluation at each epoch end (0 = none).</summary>
    public int EvalLimit { get; init; } = 2000;

    /// <summary>Samples in the grid written at each epoch end.</summary>
    public int SampleCount { get; init; } = 64;

    /// <summary>Seed of the sample grids (the same seed every epoch, so grids compare).</summary>
    public long SampleSeed { get; init; } = 1234;
}
