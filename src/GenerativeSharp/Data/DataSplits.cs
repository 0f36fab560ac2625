namespace GenerativeSharp.Data;

/// <summary>
/// A loaded dataset: its train and test splits and where they came from. Owns both splits.
/// </summary>
public sealed class DataSplits : IDisposable
{
    /// <summary>Groups two splits with the same event shape; takes ownership of them.</summary>
    /// <exception cref="ArgumentException">The splits have different event shapes.</exception>
    public DataSplits(string spec, string source, DataDescription description, TensorDataset train, TensorDataset test, ToyDensity? toy)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        if (!train.EventShape.SequenceEqual(test.EventShape))
        {
            throw new ArgumentException(
                $"train and test event shapes differ: {IdxFile.FormatShape(train.EventShape)} vs {IdxFile.FormatShape(test.EventShape)}", nameof(test));
        }

        if (!train.EventShape.SequenceEqual(description.EventShape))
        {
            throw new ArgumentException(
                $"the examples are {IdxFile.FormatShape(train.EventShape)} but the description says {IdxFile.FormatShape(description.EventShape)}", nameof(description));
        }

        Spec = spec;
        Source = source;
        Description = description;
        Train = train;
        Test = test;
        Toy = toy;
    }

    /// <summary>The data argument as the user typed it.</summary>
    public string Spec { get; }

    /// <summary>What it resolved to: a directory path, or e.g. "toy:moons (generated)".</summary>
    public string Source { get; }

    /// <summary>What one example is: its shape, value kind, classes and paired target.</summary>
    public DataDescription Description { get; }

    /// <summary>The training split.</summary>
    public TensorDataset Train { get; }

    /// <summary>The test split.</summary>
    public TensorDataset Test { get; }

    /// <summary>The generating density for toy:NAME data (with its known entropy); null otherwise.</summary>
    public ToyDensity? Toy { get; }

    /// <summary>The shape of one example: [C, H, W] for images, [2] for points.</summary>
    public long[] EventShape => Train.EventShape;

    /// <summary>
    /// The registered name when the data is a named or embedded dataset as <see cref="DataCatalog"/>
    /// resolved it ("fashion-mnist", "mnist", "mnist-10k"), else null (folders, IDX directories, toys).
    /// </summary>
    public string? DatasetName { get; init; }

    /// <summary>The content hash of the test split (<see cref="DataFingerprint.Sha256"/>), computed once.</summary>
    public string TestSha256 => testSha256 ??= DataFingerprint.Sha256(Test);

    private string? testSha256;

    /// <summary>Disposes both splits.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}
