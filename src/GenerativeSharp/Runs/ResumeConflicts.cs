using System.Globalization;
using GenerativeSharp.Data;
using GenerativeSharp.Recipes;
using GenerativeSharp.Training;

namespace GenerativeSharp.Runs;

/// <summary>
/// A resumed run continues the run in its directory: its checkpoint fixes the model, the data
/// (spec, paired target, image size), the seed, the batch size, the learning rate and the
/// binarization. Any flag that contradicts them is refused in one line, never silently ignored.
/// </summary>
internal static class ResumeConflicts
{
    public static void Refuse(TrainingRequest request, LoadedCheckpoint checkpoint, IModelRecipe recipe, string directory)
    {
        string? conflict = Find(request, checkpoint, recipe, directory);
        if (conflict is null) return;
        checkpoint.Model.Dispose();
        throw new InvalidInputException(conflict);
    }

    private static string? Find(TrainingRequest request, LoadedCheckpoint checkpoint, IModelRecipe recipe, string directory)
    {
        TrainingState saved = checkpoint.State;
        if (checkpoint.Model.Recipe.Info.Name != recipe.Info.Name)
            return $"{directory} holds a {checkpoint.Model.Recipe.Info.Name} run, not {recipe.Info.Name}.";
        if (saved.Data != request.Data)
            return $"{directory} was trained on '{saved.Data}'; resume it with --data {saved.Data}.";
        if (request.Target is string target && target != saved.Target)
            return $"--target {target} differs from the run's {saved.Target ?? "(unpaired)"}; a resumed run keeps its data (drop --target).";
        if (request.ImageSize is int size && size != saved.ImageSize)
            return $"--image-size {size} differs from the run's {saved.ImageSize?.ToString(CultureInfo.InvariantCulture) ?? "(the files' size)"}; " +
                "a resumed run keeps its data (drop --image-size).";
        if (request.InitFrom is string init)
            return $"--init-from {init} starts a new run; a resumed run continues from its own checkpoint (drop --init-from).";
        if (request.Settings.Count > 0)
            return "--set cannot change a resumed run's model options; start a new run with another --out.";
        if (request.BatchSize is int b && b != saved.BatchSize)
            return $"--batch-size {b} differs from the run's {saved.BatchSize}; a resumed run keeps its batch size.";
        if (request.Seed is long seed && seed != saved.Seed)
            return $"--seed {seed} differs from the run's {saved.Seed}; a resumed run keeps its seed (drop --seed).";
        if (request.LearningRate is double lr && lr != saved.LearningRate)
            return $"--lr {lr.ToString(CultureInfo.InvariantCulture)} differs from the run's {saved.LearningRate.ToString(CultureInfo.InvariantCulture)}; " +
                "a resumed run keeps its learning rate (drop --lr).";
        if (request.Binarize is BinarizationMode mode && mode != saved.Binarize)
            return $"--binarize {mode.ToString().ToLowerInvariant()} differs from the run's {saved.Binarize.ToString().ToLowerInvariant()}; " +
                "a resumed run keeps its binarization (drop --binarize).";
        return null;
    }
}
