using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Recipes;

/// <summary>
/// A catalog entry: how to configure, build and train one model. The CLI calls recipes by name;
/// tests call them with tiny data. Inside a recipe the options are a typed record and the model
/// its own type (<see cref="ModelRecipe{TOptions, TModel}"/>); they become JSON only at the
/// checkpoint boundary, so that a checkpoint rebuilds exactly the model that was trained.
/// </summary>
public interface IModelRecipe
{
    ModelInfo Info { get; }

    /// <summary>The keys <c>--set KEY=VALUE</c> accepts, with defaults and meanings.</summary>
    IReadOnlyList<SettingInfo> Settings { get; }

    /// <summary>Epochs, batch size and learning rate used when the command line gives none.</summary>
    TrainingDefaults Defaults(DataDescription data);

    /// <summary>
    /// The binarization a run of these options gets when --binarize is not given: none unless the
    /// data is grey-scale 8-bit images and the model needs binary pixels.
    /// </summary>
    BinarizationMode DefaultBinarization(string optionsJson, DataDescription data);

    /// <summary>
    /// Options JSON for <paramref name="data"/> after the <c>--set</c> overrides; validated.
    /// Refuses, in one line, data the model cannot take and keys the configured model would ignore.
    /// </summary>
    string ConfigureOptions(DataDescription data, IReadOnlyDictionary<string, string> settings);

    /// <summary>Builds a freshly initialised model from options JSON (the initialisation uses torch's global RNG: seed it first).</summary>
    torch.nn.Module Build(string optionsJson);

    /// <summary>The training step for a model this recipe built.</summary>
    ITrainingStep CreateStep(torch.nn.Module model, double learningRate);
}

/// <summary>One <c>--set</c> key.</summary>
public sealed record SettingInfo(string Key, string Default, string Description);

/// <summary>Trainer settings of a recipe.</summary>
public sealed record TrainingDefaults(int Epochs, int BatchSize, double LearningRate, BinarizationMode Binarize);
