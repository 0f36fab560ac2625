using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Recipes;

/// <summary>
/// A catalog entry: how to configure, build and train one model. The CLI calls recipes by name;
/// tests call them with tiny data. Options travel as JSON so that a checkpoint rebuilds exactly the
/// model that was trained.
/// </summary>
public interface IModelRecipe
{
    ModelInfo Info { get; }

    /// <summary>The keys <c>--set KEY=VALUE</c> accepts, with defaults and meanings.</summary>
    IReadOnlyList<SettingInfo> Settings { get; }

    /// <summary>Epochs, batch size and learning rate used when the command line gives none.</summary>
    TrainingDefaults Defaults(DataKind kind);

    /// <summary>
    /// The binarization a run of these options gets when --binarize is not given, for image data:
    /// the recipe default unless the options change what the model needs (8-bit pixel likelihoods).
    /// </summary>
    BinarizationMode DefaultBinarization(string optionsJson, DataKind kind) => Defaults(kind).Binarize;

    /// <summary>Options JSON for data of this shape and kind after the <c>--set</c> overrides; validated.</summary>
    string ConfigureOptions(long[] eventShape, DataKind kind, IReadOnlyDictionary<string, string> settings);

    /// <summary>Builds a freshly initialised model from options JSON (the initialisation uses torch's global RNG: seed it first).</summary>
    torch.nn.Module Build(string optionsJson);

    /// <summary>The training step for a model this recipe built.</summary>
    ITrainingStep CreateStep(torch.nn.Module model, double learningRate);
}

/// <summary>One <c>--set</c> key.</summary>
public sealed record SettingInfo(string Key, string Default, string Description);

/// <summary>Trainer settings of a recipe.</summary>
public sealed record TrainingDefaults(int Epochs, int BatchSize, double LearningRate, BinarizationMode Binarize);
