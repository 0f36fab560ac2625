using GenerativeSharp.Data;
using GenerativeSharp.Training;

namespace GenerativeSharp.Runs;

/// <summary>
/// Everything a training run is asked for: the model, where its data comes from, the trainer's
/// settings (null: the recipe's default) and the run directory. <see cref="TrainingRun.Execute"/>
/// starts a new run from it, or with <see cref="Resume"/> continues the run in
/// <see cref="OutputDirectory"/>, whose checkpoint then fixes everything but the length.
/// </summary>
public sealed record TrainingRequest
{
    /// <summary>A model name from <see cref="Recipes.ModelCatalog"/>.</summary>
    public required string Model { get; init; }

    /// <summary>The data argument (see <see cref="DataCatalog"/>).</summary>
    public required string Data { get; init; }

    /// <summary>A folder paired with an image-folder <see cref="Data"/> by relative path; null: unpaired.</summary>
    public string? Target { get; init; }

    /// <summary>Resize the images of an image folder to N x N; null keeps their size.</summary>
    public int? ImageSize { get; init; }

    /// <summary>Where named datasets are searched first (--data-root).</summary>
    public string? DataRoot { get; init; }

    public int? Epochs { get; init; }

    /// <summary>Training steps instead of <see cref="Epochs"/> (not both).</summary>
    public long? Steps { get; init; }

    public int? BatchSize { get; init; }

    public double? LearningRate { get; init; }

    /// <summary>Seeds the model's initialisation, the data order and every draw; 0 when null. A resumed run keeps its own.</summary>
    public long? Seed { get; init; }

    /// <summary>"cpu", "cuda" or "cuda:N".</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>The run directory; default runs/MODEL-DATA.</summary>
    public string? Output { get; init; }

    /// <summary>Continue the run in <see cref="OutputDirectory"/> instead of starting one.</summary>
    public bool Resume { get; init; }

    public ProgressMode Progress { get; init; } = ProgressMode.Auto;

    /// <summary>Also write TensorBoard event files in DIR/tensorboard (on unless turned off; see <see cref="Training.Logging.TensorBoardLog"/>).</summary>
    public bool TensorBoard { get; init; } = true;

    /// <summary>none, dynamic or static; null: the recipe's choice for the data.</summary>
    public BinarizationMode? Binarize { get; init; }

    /// <summary>
    /// Data parallelism across the processes mpirun started: "mpi" (see <see cref="Distributed.DataParallel"/>); null or
    /// "none": this process alone.
    /// </summary>
    public string? Distributed { get; init; }

    /// <summary>A run directory of the same model whose matching weights a new run starts from (<see cref="RunInitialisation"/>); null: fresh weights.</summary>
    public string? InitFrom { get; init; }

    /// <summary>The <c>--set KEY=VALUE</c> model options.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>runs/MODEL-DATA with the data's last path part, e.g. runs/vae-mnist-10k or runs/vae-toy-moons.</summary>
    public string OutputDirectory => Output ?? Path.Combine("runs", $"{Model.ToLowerInvariant()}-{DataLabel(Data)}");

    private static string DataLabel(string data)
    {
        string trimmed = data.TrimEnd('/', '\\');
        string last = Path.GetFileName(trimmed);
        return (string.IsNullOrEmpty(last) ? "data" : last).Replace(':', '-');
    }
}
