using System.Globalization;

namespace GenerativeSharp.Data;

/// <summary>What the values of a data set are.</summary>
public enum ValueKind
{
    /// <summary>Each value is 0 or 1 (binarized digits).</summary>
    Binary,

    /// <summary>Each value is one of 256 levels k / 255 (8-bit pixels); density models dequantize them.</summary>
    EightBit,

    /// <summary>Real values (the 2-D toy densities).</summary>
    Continuous,
}

/// <summary>
/// A data set described by what it is rather than where it came from: the shape of one example
/// ([C, H, W] images with C = 1 or 3, or [D] vectors), what its values are, its classes, and
/// whether each example comes with a paired target image. Recipe defaults, binarization and
/// dequantization key on this; a model that cannot take the data says so with <see cref="Summary"/>.
/// </summary>
public sealed record DataDescription
{
    /// <summary>The shape of one example: [C, H, W] for images, [D] for vectors.</summary>
    public required long[] EventShape { get; init; }

    /// <summary>What each value is: binary, 8-bit or continuous.</summary>
    public required ValueKind Values { get; init; }

    /// <summary>The names of the classes, index = label; empty when the data has no labels.</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = [];

    /// <summary>The shape of each example's paired target ([C, H, W]), or null when the data is not paired.</summary>
    public long[]? TargetShape { get; init; }

    /// <summary>
    /// Whether target i is example i's true output (true), or the targets are a second, unpaired domain of images
    /// (false: two folders with no file names in common, for CycleGAN). Meaningful only with a <see cref="TargetShape"/>.
    /// </summary>
    public bool TargetsPaired { get; init; } = true;

    /// <summary>How many classes the labels index (0 when unlabelled).</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>Whether each example has a paired target image (image-to-image data).</summary>
    public bool HasPairedTarget => TargetShape is not null;

    /// <summary>Whether an example is an image [C, H, W].</summary>
    public bool IsImage => EventShape.Length == 3;

    /// <summary>Whether an example is a vector [D] (the 2-D toy points are [2]).</summary>
    public bool IsVector => EventShape.Length == 1;

    /// <summary>Image channels (1 grey, 3 colour); 0 for vectors.</summary>
    public int Channels => IsImage ? (int)EventShape[0] : 0;

    /// <summary>Whether the images are grey-scale [1, H, W].</summary>
    public bool IsGrey => IsImage && EventShape[0] == 1;

    /// <summary>Whether the images are colour [3, H, W].</summary>
    public bool IsColour => IsImage && EventShape[0] == 3;

    /// <summary>Values in one example (C·H·W or D).</summary>
    public long Dimensions => EventShape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Grey-scale or colour 8-bit images of the given shape.</summary>
    public static DataDescription Images(long[] eventShape, IReadOnlyList<string>? classNames = null) => new()
    {
        EventShape = eventShape, Values = ValueKind.EightBit, ClassNames = classNames ?? [],
    };

    /// <summary>Continuous points of dimension <paramref name="dimensions"/>.</summary>
    public static DataDescription Points(int dimensions = 2) => new()
    {
        EventShape = [dimensions], Values = ValueKind.Continuous,
    };

    /// <summary>The description of data whose only known property is the shape of one example (an old checkpoint, a benchmark).</summary>
    public static DataDescription FromShape(long[] eventShape) =>
        eventShape.Length == 1 ? Points((int)eventShape[0]) : Images(eventShape);

    /// <summary>Classes named "0", "1", ... for labels without names (IDX files).</summary>
    public static IReadOnlyList<string> NumberedClasses(int count) =>
        Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

    /// <summary>One phrase, e.g. "colour 8-bit images [3, 32, 32], 10 classes, paired with [3, 32, 32] targets".</summary>
    public string Summary
    {
        get
        {
            string what = IsImage
                ? $"{(IsColour ? "colour" : IsGrey ? "grey-scale" : $"{Channels}-channel")} {ValueName} images [{string.Join(", ", EventShape)}]"
                : $"{ValueName} points [{string.Join(", ", EventShape)}]";
            if (ClassCount > 0) what += $", {ClassCount} classes";
            if (TargetShape is not null)
                what += TargetsPaired ? $", paired with [{string.Join(", ", TargetShape)}] targets" : $", beside an unpaired domain of [{string.Join(", ", TargetShape)}] images";
            return what;
        }
    }

    private string ValueName => Values switch
    {
        ValueKind.Binary => "binary",
        ValueKind.EightBit => "8-bit",
        _ => "continuous",
    };
}
