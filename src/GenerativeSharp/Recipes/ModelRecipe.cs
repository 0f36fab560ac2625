using System.Text.Json;
using System.Text.Json.Serialization;
using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Recipes;

/// <summary>
/// Base of recipes whose options are an immutable record: JSON round trip and <c>--set</c> parsing
/// live here once; a recipe supplies defaults, the settings table and the constructor.
/// </summary>
public abstract class ModelRecipe<TOptions> : IModelRecipe where TOptions : class
{
    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };

    public abstract ModelInfo Info { get; }

    public IReadOnlyList<SettingInfo> Settings => Setters.Select(s => s.Info).ToList();

    /// <summary>The settings table: key, default, meaning, and how a value changes the options.</summary>
    protected abstract IReadOnlyList<Setting> Setters { get; }

    public abstract TrainingDefaults Defaults(DataKind kind);

    /// <inheritdoc />
    public virtual BinarizationMode DefaultBinarization(string optionsJson, DataKind kind) => Defaults(kind).Binarize;

    public string ConfigureOptions(long[] eventShape, DataKind kind, IReadOnlyDictionary<string, string> settings)
    {
        TOptions options = DefaultOptions(eventShape, kind);
        foreach (var (key, value) in settings)
        {
            Setting setter = Setters.FirstOrDefault(s => s.Info.Key == key)
                ?? throw new InvalidInputException(
                    $"unknown setting '{key}' for {Info.Name}: expected one of {string.Join(", ", Setters.Select(s => s.Info.Key))}.");
            options = setter.Apply(options, value);
        }
        Validate(options);
        return JsonSerializer.Serialize(options, Json);
    }

    public torch.nn.Module Build(string optionsJson) => Create(Deserialize(optionsJson));

    public abstract ITrainingStep CreateStep(torch.nn.Module model, double learningRate);

    /// <summary>Parses stored options; a damaged or foreign JSON gives a one-line error.</summary>
    public TOptions Deserialize(string optionsJson)
    {
        try
        {
            TOptions options = JsonSerializer.Deserialize<TOptions>(optionsJson, Json)
                ?? throw new InvalidInputException($"{Info.Name} options are empty.");
            Validate(options);
            return options;
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{Info.Name} options cannot be read ({e.Message}).", e);
        }
    }

    protected abstract TOptions DefaultOptions(long[] eventShape, DataKind kind);

    protected abstract void Validate(TOptions options);

    protected abstract torch.nn.Module Create(TOptions options);

    /// <summary>A settings row.</summary>
    protected sealed record Setting(SettingInfo Info, Func<TOptions, string, TOptions> Apply)
    {
        public Setting(string key, string defaultValue, string description, Func<TOptions, string, TOptions> apply)
            : this(new SettingInfo(key, defaultValue, description), apply) { }
    }
}
