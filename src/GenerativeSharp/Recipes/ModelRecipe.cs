using System.Text.Json;
using System.Text.Json.Serialization;
using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Recipes;

/// <summary>
/// Base of recipes: a recipe builds its own model type <typeparamref name="TModel"/> from its own
/// immutable options record <typeparamref name="TOptions"/> and creates that model's step, with
/// no casts in the recipe. JSON round trip, <c>--set</c> parsing, the refusal of data the model
/// cannot take and of keys it would ignore live here once.
/// </summary>
public abstract class ModelRecipe<TOptions, TModel> : IModelRecipe
    where TOptions : class
    where TModel : torch.nn.Module
{
    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };

    public abstract ModelInfo Info { get; }

    public IReadOnlyList<SettingInfo> Settings => Setters.Select(s => s.Info).ToList();

    /// <summary>The settings table: key, default, meaning, how a value changes the options, and when the key matters.</summary>
    protected abstract IReadOnlyList<Setting> Setters { get; }

    public abstract TrainingDefaults Defaults(DataDescription data);

    /// <inheritdoc />
    public BinarizationMode DefaultBinarization(string optionsJson, DataDescription data) =>
        data.IsGrey && data.Values == ValueKind.EightBit ? BinaryPixelsWanted(Deserialize(optionsJson), data) : BinarizationMode.None;

    /// <summary>For grey-scale 8-bit images: the binarization these options want (the recipe default unless overridden).</summary>
    protected virtual BinarizationMode BinaryPixelsWanted(TOptions options, DataDescription data) => Defaults(data).Binarize;

    public string ConfigureOptions(DataDescription data, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (Refusal(data) is string refusal)
            throw new InvalidInputException($"{Info.Name} {refusal}; got {data.Summary}.");
        TOptions options = DefaultOptions(data);
        foreach (var (key, value) in settings)
        {
            Setting setter = Setters.FirstOrDefault(s => s.Info.Key == key)
                ?? throw new InvalidInputException(
                    $"unknown setting '{key}' for {Info.Name}: expected one of {string.Join(", ", Setters.Select(s => s.Info.Key))}.");
            options = setter.Apply(options, value);
        }
        Validate(options);
        if (Refusal(options, data) is string misfit)
            throw new InvalidInputException($"{Info.Name} {misfit}; got {data.Summary}.");
        string[] ignored = settings.Keys.Where(key => !Setters.First(s => s.Info.Key == key).AppliesTo(options)).ToArray();
        if (ignored.Length > 0)
        {
            string taken = string.Join(", ", Setters.Where(s => s.AppliesTo(options)).Select(s => s.Info.Key));
            throw new InvalidInputException(
                $"--set {string.Join(", ", ignored)}: {Info.Name} with these options has no such part and would ignore it; it takes {taken}.");
        }
        return JsonSerializer.Serialize(options, Json);
    }

    public torch.nn.Module Build(string optionsJson) => Create(Deserialize(optionsJson));

    public ITrainingStep CreateStep(torch.nn.Module model, double learningRate) =>
        model is TModel typed
            ? CreateStep(typed, learningRate)
            : throw new ArgumentException($"{Info.Name} trains a {typeof(TModel).Name}, not a {model.GetType().Name}.", nameof(model));

    /// <summary>The training step of a model this recipe built.</summary>
    public abstract ITrainingStep CreateStep(TModel model, double learningRate);

    /// <summary>Builds a freshly initialised model from typed options.</summary>
    public TModel Create(TOptions options)
    {
        Validate(options);
        return Construct(options);
    }

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

    /// <summary>Options as the checkpoint stores them.</summary>
    public string Serialize(TOptions options) => JsonSerializer.Serialize(options, Json);

    /// <summary>
    /// Why the model cannot take <paramref name="data"/>, completing "MODEL ..." (e.g. "takes
    /// grey-scale images [1, H, W]"), or null when it can.
    /// </summary>
    protected virtual string? Refusal(DataDescription data) => null;

    /// <summary>
    /// Why the configured <paramref name="options"/> cannot train on <paramref name="data"/> (e.g. a class-conditional
    /// model on data without labels), completing "MODEL ...", or null when they can.
    /// </summary>
    protected virtual string? Refusal(TOptions options, DataDescription data) => null;

    protected abstract TOptions DefaultOptions(DataDescription data);

    protected abstract void Validate(TOptions options);

    protected abstract TModel Construct(TOptions options);

    /// <summary>
    /// A settings row. <paramref name="When"/> says whether the key matters for the final
    /// options (null: always); a key given for options it does not apply to is refused.
    /// </summary>
    protected sealed record Setting(SettingInfo Info, Func<TOptions, string, TOptions> Apply, Func<TOptions, bool>? When = null)
    {
        public Setting(string key, string defaultValue, string description, Func<TOptions, string, TOptions> apply, Func<TOptions, bool>? when = null)
            : this(new SettingInfo(key, defaultValue, description), apply, when) { }

        public bool AppliesTo(TOptions options) => When?.Invoke(options) ?? true;
    }
}
