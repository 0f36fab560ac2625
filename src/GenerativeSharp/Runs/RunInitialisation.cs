using GenerativeSharp.Models;
using GenerativeSharp.Recipes;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Runs;

/// <summary>
/// <c>train --init-from DIR</c>: a new run starts from the weights of another run of the same model. Every parameter and
/// buffer whose name and shape match is copied; the rest keep their fresh initialisation, and the one-line note counts
/// both. A model that freezes parts of itself (<see cref="IInitialisedParts"/>) needs every tensor of those parts copied.
/// </summary>
public static class RunInitialisation
{
    /// <summary>Copies <paramref name="source"/>'s matching tensors into <paramref name="model"/> (before its optimizer exists).</summary>
    /// <exception cref="InvalidInputException">The source is another model, shares no tensor, or lacks a frozen part.</exception>
    public static void Apply(string? source, ModelInstance model, torch.Device device, TextWriter messages)
    {
        IReadOnlyList<string> required = model.Module is IInitialisedParts parts ? parts.PartsToInitialise : [];
        if (source is null)
        {
            if (required.Count > 0)
                throw new InvalidInputException($"{((IInitialisedParts)model.Module).InitialisationReason}: give --init-from DIR, a trained {model.Recipe.Info.Name} run with the same shapes.");
            return;
        }
        if (!Checkpoint.ExistsIn(source)) throw new InvalidInputException($"--init-from {source}: no checkpoint there.");
        using LoadedCheckpoint loaded = Checkpoint.Load(source, device);
        using ModelInstance trained = loaded.Model;
        if (trained.Recipe.Info.Name != model.Recipe.Info.Name)
            throw new InvalidInputException($"--init-from {source} holds a {trained.Recipe.Info.Name} run; this run trains {model.Recipe.Info.Name}.");
        Dictionary<string, torch.Tensor> from = trained.Module.state_dict();
        var copied = new HashSet<string>();
        var target = model.Module.state_dict();
        using (torch.no_grad())
        {
            foreach (var (name, tensor) in target)
                if (from.TryGetValue(name, out torch.Tensor? value) && value.shape.SequenceEqual(tensor.shape) && value.dtype == tensor.dtype)
                {
                    tensor.copy_(value);
                    copied.Add(name);
                }
        }
        if (copied.Count == 0) throw new InvalidInputException($"--init-from {source}: no tensor of that run matches this model's names and shapes.");
        string[] missing = target.Keys.Where(n => !copied.Contains(n) && required.Any(p => n.StartsWith(p, StringComparison.Ordinal))).ToArray();
        if (missing.Length > 0)
            throw new InvalidInputException($"--init-from {source}: its {missing[0]} (and {missing.Length - 1} more) does not match this model's, " +
                $"and {string.Join(", ", required)} must come from it: give the run the same shapes (e.g. the same hidden, codes, dim).");
        string[] fresh = target.Keys.Where(n => !copied.Contains(n)).ToArray();
        messages.WriteLine($"initialised {copied.Count} of {target.Count} tensors from {source}" +
            (fresh.Length == 0 ? "" : $"; {fresh.Length} start fresh ({string.Join(", ", fresh.Take(3))}{(fresh.Length > 3 ? ", ..." : "")})"));
    }
}
