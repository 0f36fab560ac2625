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
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    public static bool ExistsIn(string directory) => File.Exists(PathIn(directory));

    public static void Save(string directory, ModelInstance model, TrainingState state, ITrainingStep? step, Generator? generator)
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (name, value) in model.Module.state_dict())
            tensors[name] = value;
        step?.SaveState(tensors);
        if (generator != null) tensors[GeneratorKey] = generator.get_state();
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
        TrainingState state = JsonSerializer.Deserialize<TrainingState>(Required(content, "gensharp_training", path), Json)
            ?? throw new InvalidInputException($"{path}: training state is empty.");
        torch.nn.Module module;
        lock (Runtime.GlobalRandom.Lock)
            module = recipe.Build(optionsJson);   // initial weights are overwritten below; the lock keeps other seeded builds exact
        var model = new ModelInstance(recipe, optionsJson, module);
        var weights = content.Tensors.Where(t => !t.Key.StartsWith(InternalPrefix, StringComparison.Ordinal))
            .ToDictionary(t => t.Key, t => t.Value);
        try
        {
            model.Module.load_state_dict(weights, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or KeyNotFoundException)
        {
            model.Dispose();
            throw new InvalidInputException($"{path}: weights do not fit the model's options ({e.Message}).", e);
        }
        model.Module.to(device);
        Runtime.ConvolutionLayout.Prefer(model.Module, device);
        var extra = content.Tensors.Where(t => t.Key.StartsWith(InternalPrefix, StringComparison.Ordinal))
            .ToDictionary(t => t.Key, t => t.Value.clone());
        return new LoadedCheckpoint(model, state, extra);
    }

    private static string Required(SafeTensorsContent content, string key, string path) =>
        content.Metadata.TryGetValue(key, out string? value) ? value
            : throw new InvalidInputException($"{path}: not a GenerativeSharp checkpoint (metadata '{key}' is missing).");

    /// <summary>Restores the RNG state saved with the checkpoint into <paramref name="generator"/>.</summary>
    public static void RestoreGenerator(LoadedCheckpoint checkpoint, Generator generator)
    {
        if (!checkpoint.TrainerState.TryGetValue(GeneratorKey, out Tensor? state))
            throw new InvalidInputException("the checkpoint holds no RNG state; it cannot be resumed exactly.");
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
