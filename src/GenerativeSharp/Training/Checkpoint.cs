using System.Text.Json;
using System.Text.Json.Serialization;
using GenerativeSharp.Persistence;
using GenerativeSharp.Recipes;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Training;

/// <summary>
/// DIR/checkpoint.safetensors: the model's weights under their state-dict names (so Python's
/// safetensors reads them), the optimizer and RNG state under "_gensharp.*" names, and in the
/// metadata the model name, its options JSON and the training state. Written atomically with a
/// checksum (<see cref="CheckpointFile"/>); loading verifies everything, then rebuilds the model
/// from its options.
/// </summary>
public static class Checkpoint
{
    public const string FileName = "checkpoint.safetensors";
    private const string InternalPrefix = "_gensharp.";
    private const string GeneratorKey = "_gensharp.generator";
    private const string MetricSumPrefix = "_gensharp.metric_sum.";
    private const string MetricCountKey = "_gensharp.metric_count";
    /// <summary>Writes the state; absent optional fields (an unpaired run's target) are left out, so older readers see the same JSON.</summary>
    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    // Reading is strict: every field present, no unknown one, so a renamed or damaged key never becomes a default.
    private static readonly JsonSerializerOptions StrictJson = new()
    {
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    public static bool ExistsIn(string directory) => File.Exists(PathIn(directory));

    /// <param name="pending">the running sums of the metrics not yet logged (a run interrupted between log lines), so a resumed run logs the same means</param>
    /// <param name="extra">more named tensors for the trainer's state (a data-parallel run's per-rank generators)</param>
    public static void Save(string directory, ModelInstance model, TrainingState state, ITrainingStep? step, Generator? generator,
        PendingMetrics? pending = null, IReadOnlyDictionary<string, Tensor>? extra = null)
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (name, value) in model.Module.state_dict())
            tensors[name] = value;
        step?.SaveState(tensors);
        if (generator != null) tensors[GeneratorKey] = generator.get_state();
        foreach (var (name, value) in extra ?? new Dictionary<string, Tensor>()) tensors[name] = value;
        if (pending is { Count: > 0 })
        {
            tensors[MetricCountKey] = tensor((long)pending.Count);
            foreach (var (name, sum) in pending.Sums) tensors[MetricSumPrefix + name] = tensor(sum, ScalarType.Float64);
        }
        var metadata = new Dictionary<string, string>
        {
            ["gensharp_model"] = model.Recipe.Info.Name,
            ["gensharp_options"] = model.OptionsJson,
            ["gensharp_training"] = JsonSerializer.Serialize(state, Json),
            ["gensharp_version"] = typeof(Checkpoint).Assembly.GetName().Version?.ToString() ?? "0",
        };
        CheckpointFile.Save(PathIn(directory), tensors, metadata);
    }

    /// <summary>Verifies and loads DIR's checkpoint; the model is rebuilt on <paramref name="device"/>.</summary>
    public static LoadedCheckpoint Load(string directory, Device device)
    {
        if (!Directory.Exists(directory))
            throw new InvalidInputException($"{directory}: no such run directory.");
        using SafeTensorsContent content = CheckpointFile.Load(PathIn(directory));
        string path = PathIn(directory);
        string name = Required(content, "gensharp_model", path);
        IModelRecipe recipe = ModelCatalog.Get(name);
        string optionsJson = Required(content, "gensharp_options", path);
        TrainingState state = ReadState(Required(content, "gensharp_training", path), path);
        CheckFinite(content, path);
        ModelMemory.Check(recipe, optionsJson, multiple: 1, "loading it");
        torch.nn.Module module;
        lock (Runtime.GlobalRandom.Lock)
            module = recipe.Build(optionsJson);   // initial weights are overwritten below; the lock keeps other seeded builds exact
        var model = new ModelInstance(recipe, optionsJson, module);
        var weights = content.Tensors.Where(t => !t.Key.StartsWith(InternalPrefix, StringComparison.Ordinal))
            .ToDictionary(t => t.Key, t => t.Value);
        try
        {
            CheckWeightsFit(model.Module, weights, path);
            model.Module.load_state_dict(weights, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or KeyNotFoundException)
        {
            model.Dispose();
            throw new InvalidInputException($"{path}: weights do not fit the model's options ({e.Message.Split('\n')[0]}).", e);
        }
        catch (InvalidInputException)
        {
            model.Dispose();
            throw;
        }
        model.Module.to(device);
        Runtime.ConvolutionLayout.Prefer(model.Module, device);
        var extra = content.Tensors.Where(t => t.Key.StartsWith(InternalPrefix, StringComparison.Ordinal))
            .ToDictionary(t => t.Key, t => t.Value.clone());
        return new LoadedCheckpoint(model, state, extra);
    }

    /// <summary>The training state, every field present and in range.</summary>
    private static TrainingState ReadState(string json, string path)
    {
        TrainingState? state;
        try
        {
            state = JsonSerializer.Deserialize<TrainingState>(json, StrictJson);
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{path}: the training state cannot be read ({e.Message.Split('\n')[0]}).", e);
        }
        if (state is null) throw new InvalidInputException($"{path}: the training state is empty.");
        string? fault = state switch
        {
            { Data: null or "" } => "Data is empty",
            { BatchSize: < 1 or > MaxBatchSize } => $"BatchSize {state.BatchSize} is outside 1..{MaxBatchSize}",
            { LearningRate: var lr } when !(lr > 0 && double.IsFinite(lr)) => $"LearningRate {lr} is not a positive number",
            { StepsPerEpoch: < 1 } => $"StepsPerEpoch {state.StepsPerEpoch} is below 1",
            { TotalSteps: < 1 } => $"TotalSteps {state.TotalSteps} is below 1",
            { Step: < 0 } => $"Step {state.Step} is negative",
            _ when state.Step > state.TotalSteps => $"Step {state.Step} is beyond TotalSteps {state.TotalSteps}",
            _ when !Enum.IsDefined(state.Binarize) => $"Binarize {state.Binarize} is not a binarization",
            _ => null,
        };
        return fault is null ? state : throw new InvalidInputException($"{path}: damaged training state: {fault}.");
    }

    /// <summary>The largest batch a checkpoint may state (larger ones are damage, not a request).</summary>
    public const int MaxBatchSize = 1 << 20;

    /// <summary>Every floating-point tensor holds finite numbers: NaN weights or optimizer moments are damage.</summary>
    private static void CheckFinite(SafeTensorsContent content, string path)
    {
        foreach (var (name, tensor) in content.Tensors)
        {
            if (!tensor.is_floating_point() || tensor.numel() == 0) continue;
            if (!tensor.isfinite().all().item<bool>())
                throw new InvalidInputException($"{path}: tensor '{name}' holds NaN or infinite values; the checkpoint is damaged.");
        }
    }

    /// <summary>The file's weights are exactly the model's state dict: the same names, dtypes and shapes.</summary>
    private static void CheckWeightsFit(torch.nn.Module module, IReadOnlyDictionary<string, Tensor> weights, string path)
    {
        var expected = module.state_dict();
        foreach (var (name, own) in expected)
        {
            if (!weights.TryGetValue(name, out Tensor? saved))
                throw new InvalidInputException($"{path}: the model's '{name}' is missing from the checkpoint.");
            if (saved.dtype != own.dtype || !saved.shape.SequenceEqual(own.shape))
                throw new InvalidInputException($"{path}: '{name}' is {saved.dtype} [{string.Join(", ", saved.shape)}] in the checkpoint " +
                    $"but {own.dtype} [{string.Join(", ", own.shape)}] in the model its options describe; the checkpoint is damaged.");
        }
        foreach (string name in weights.Keys.Where(k => !expected.ContainsKey(k)))
            throw new InvalidInputException($"{path}: the checkpoint holds '{name}', which the model does not have.");
    }

    private static string Required(SafeTensorsContent content, string key, string path) =>
        content.Metadata.TryGetValue(key, out string? value) ? value
            : throw new InvalidInputException($"{path}: not a GenerativeSharp checkpoint (metadata '{key}' is missing).");

    /// <summary>The metric sums a run was interrupted with (empty when it stopped at a log line).</summary>
    public static PendingMetrics PendingMetricsOf(LoadedCheckpoint checkpoint)
    {
        if (!checkpoint.TrainerState.TryGetValue(MetricCountKey, out Tensor? count)) return PendingMetrics.None;
        if (count.dtype != ScalarType.Int64 || count.numel() != 1 || count.item<long>() is < 1 or > int.MaxValue)
            throw new InvalidInputException("the checkpoint's metric count is not a positive int64; the checkpoint is damaged.");
        var sums = new Dictionary<string, double>();
        foreach (var (key, value) in checkpoint.TrainerState.Where(p => p.Key.StartsWith(MetricSumPrefix, StringComparison.Ordinal)))
        {
            if (value.dtype != ScalarType.Float64 || value.numel() != 1)
                throw new InvalidInputException($"the checkpoint's '{key}' is not one float64; the checkpoint is damaged.");
            sums[key[MetricSumPrefix.Length..]] = value.item<double>();
        }
        return new PendingMetrics(sums, (int)count.item<long>());
    }

    /// <summary>
    /// Restores the RNG state saved with the checkpoint into <paramref name="generator"/>, after checking
    /// that it is a byte vector of the size this generator's state has (a CPU generator's is 5,056 bytes, a
    /// CUDA generator's 16): libtorch aborts the process on any other size.
    /// </summary>
    public static void RestoreGenerator(LoadedCheckpoint checkpoint, Generator generator)
    {
        if (!checkpoint.TrainerState.TryGetValue(GeneratorKey, out Tensor? state))
            throw new InvalidInputException("the checkpoint holds no RNG state; it cannot be resumed exactly.");
        using Tensor own = generator.get_state();
        if (state.dtype != ScalarType.Byte || state.dim() != 1 || state.numel() != own.numel())
            throw new InvalidInputException(
                $"the checkpoint's RNG state is {state.dtype} [{string.Join(", ", state.shape)}], but a {generator.device.type.ToString().ToLowerInvariant()} " +
                $"generator's is Byte [{own.numel()}]: it was saved on another kind of device or is damaged, so the run cannot be resumed exactly here " +
                "(resume it on the device it was trained on, or start a new run).");
        generator.set_state(state);
    }
}

/// <summary>A verified checkpoint: the rebuilt model, the training state, and the trainer's tensors (optimizer, RNG).</summary>
public sealed class LoadedCheckpoint(ModelInstance model, TrainingState state, IReadOnlyDictionary<string, Tensor> trainerState) : IDisposable
{
    public ModelInstance Model { get; } = model;

    public TrainingState State { get; } = state;

    public IReadOnlyDictionary<string, Tensor> TrainerState { get; } = trainerState;

    public void Dispose()
    {
        foreach (Tensor t in TrainerState.Values) t.Dispose();
    }
}
