namespace GenerativeSharp.Data;

/// <summary>Options for <see cref="DataCatalog.Load(string, DataOptions)"/>; the defaults suit the CLI.</summary>
public sealed record DataOptions
{
    /// <summary>
    /// The --data-root directory: searched first for named datasets (as DATAROOT/NAME or DATAROOT
    /// itself) and, when set, the place downloads go to. Null: not used.
    /// </summary>
    public string? DataRoot { get; init; }

    /// <summary>Seeds the toy training points (toy test points always use a fixed seed).</summary>
    public long Seed { get; init; } = 0;

    /// <summary>How many training points a toy density generates (positive).</summary>
    public int ToyTrainCount { get; init; } = 50_000;

    /// <summary>How many test points a toy density generates (positive), always with the same fixed seed.</summary>
    public int ToyTestCount { get; init; } = 20_000;

    /// <summary>Whether a named dataset missing from every searched directory may be downloaded.</summary>
    public bool AllowDownload { get; init; } = true;

    /// <summary>
    /// A folder of images paired with the --data folder by relative path (the true outputs of an
    /// image-to-image model); null: unpaired. Only for image folders.
    /// </summary>
    public string? Target { get; init; }

    /// <summary>Resize every image of an image folder to N x N (area averaging); null keeps the files' size.</summary>
    public int? ImageSize { get; init; }

    /// <summary>Where download progress lines go; null is silent.</summary>
    public TextWriter? Progress { get; init; }
}
