using GenerativeSharp.Data;
using GenerativeSharp.Persistence;
using GenerativeSharp.Recipes;
using GenerativeSharp.Runs;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Interop;

/// <summary>What <c>gensharp import</c> reads and where it writes.</summary>
public sealed record ImportRequest
{
    /// <summary>A PyTorch state dict (safetensors, or <c>torch.save</c>'s .pt/.pth), with the names of <see cref="PyTorchNaming"/>.</summary>
    public required string File { get; init; }

    /// <summary>The model it holds: one of <see cref="PyTorchNaming.Supported"/>.</summary>
    public required string Model { get; init; }

    /// <summary>The run directory to write (must hold no run yet).</summary>
    public required string Output { get; init; }

    /// <summary>The data spec the run evaluates on; default the file's <c>gensharp_data</c> metadata.</summary>
    public string? Data { get; init; }

    /// <summary><c>--set</c> options that give the weights' shapes (default: the file's options when it was exported by us, else the recipe's defaults).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public string? DataRoot { get; init; }
}

/// <summary>
/// <c>gensharp import</c>: builds the model a PyTorch state dict describes (recipe defaults for the data, then the
/// <c>--set</c> options), loads the weights by <see cref="PyTorchNaming.Load"/> (every missing, unexpected or wrong-shape
/// name in one line) and writes a run directory whose checkpoint <c>sample</c>, <c>eval</c> and the other commands read.
/// The run has no optimizer state: it is not resumable (train a new run from it instead). A state dict saved by
/// <c>torch.save</c> (<c>.pt</c>, <c>.pth</c>) is read by <see cref="PickledStateDict"/>.
/// </summary>
public static class WeightImport
{
    /// <summary>The largest file read (4 GiB).</summary>
    public const long MaxFileBytes = 4L << 30;

    /// <summary>Imports <paramref name="request"/>; returns the options JSON of the model written.</summary>
    /// <exception cref="InvalidInputException">The file, the model name, the data or the weights do not fit.</exception>
    public static string Import(ImportRequest request, TextWriter messages)
    {
        ArgumentNullException.ThrowIfNull(request);
        IModelRecipe recipe = ModelCatalog.Get(request.Model);
        if (!PyTorchNaming.Supported.Contains(recipe.Info.Name))
            throw new InvalidInputException($"{recipe.Info.Name} has no PyTorch mapping; the models that have one: {PyTorchNaming.SupportedList}.");
        string file = request.File;
        if (Checkpoint.ExistsIn(request.Output))
            throw new InvalidInputException($"{request.Output} already holds a run; choose another --out.");
        using SafeTensorsContent content = Read(file);
        string spec = request.Data ?? (content.Metadata.TryGetValue(WeightExport.DataKey, out string? d) ? d
            : throw new InvalidInputException($"{file} names no data (metadata {WeightExport.DataKey}); give --data, the data the weights model."));
        int? imageSize = content.Metadata.TryGetValue("gensharp_image_size", out string? side) && int.TryParse(side, out int n) ? n : null;
        var state = new TrainingState(spec, BinarizationMode.None, Seed: 0, BatchSize: 1, LearningRate: 1, StepsPerEpoch: 1, TotalSteps: 1, Step: 0,
            ImageSize: imageSize);
        using DataSplits data = TrainingRun.LoadData(state, request.DataRoot, messages);
        bool ownOptions = request.Settings.Count == 0 && content.Metadata.TryGetValue(WeightExport.ModelKey, out string? exported)
            && exported == recipe.Info.Name && content.Metadata.ContainsKey(WeightExport.OptionsKey);
        string options = ownOptions ? content.Metadata[WeightExport.OptionsKey] : recipe.ConfigureOptions(data.Description, request.Settings);
        ModelMemory.Check(recipe, options, multiple: 1, "importing it");
        using ModelInstance model = ModelInstance.Create(recipe, options, seed: 0, torch.CPU);
        if (!model.Model.EventShape.SequenceEqual(data.EventShape))
            throw new InvalidInputException($"{file} models examples of shape [{string.Join(", ", model.Model.EventShape)}] but {spec} has " +
                $"[{string.Join(", ", data.EventShape)}]; give the --data the weights were trained on.");
        PyTorchNaming.Load(model, content.Tensors, file);
        TrainingDefaults defaults = recipe.Defaults(data.Description);
        long stepsPerEpoch = (data.Train.Count + defaults.BatchSize - 1) / defaults.BatchSize;
        state = state with
        {
            Binarize = recipe.DefaultBinarization(options, data.Description), BatchSize = defaults.BatchSize,
            LearningRate = defaults.LearningRate, StepsPerEpoch = stepsPerEpoch, TotalSteps = stepsPerEpoch,
        };
        using RunDirectoryLock writer = RunDirectoryLock.Acquire(request.Output);   // one writer per run; taken once the weights fit
        if (Checkpoint.ExistsIn(request.Output))
            throw new InvalidInputException($"{request.Output} already holds a run; choose another --out.");
        Checkpoint.Save(request.Output, model, state, step: null, generator: null);
        return options;
    }

    private static SafeTensorsContent Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new InvalidInputException(Directory.Exists(path) ? $"{path} is a directory, not a state dict." : $"no file at {path}.");
        if (info.Length > MaxFileBytes) throw new InvalidInputException($"{path} is {info.Length} bytes, more than the {MaxFileBytes >> 30} GiB import reads.");
        if (PickledStateDict.IsPickled(path)) return PickledStateDict.Read(path);
        try
        {
            return SafeTensorsFile.Read(File.ReadAllBytes(path));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidInputException($"{path} is not a valid safetensors file: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new InvalidInputException($"cannot read {path}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }
}
