using GenerativeSharp.Models;
using TorchSharp;

namespace GenerativeSharp.Recipes;

/// <summary>A built model together with the recipe and options JSON it was built from.</summary>
public sealed class ModelInstance : IDisposable
{
    public ModelInstance(IModelRecipe recipe, string optionsJson, torch.nn.Module module)
    {
        Recipe = recipe;
        OptionsJson = optionsJson;
        Module = module;
        Model = module as IGenerativeModel
            ?? throw new ArgumentException($"{module.GetType().Name} does not implement IGenerativeModel.", nameof(module));
    }

    public IModelRecipe Recipe { get; }

    public string OptionsJson { get; }

    public torch.nn.Module Module { get; }

    public IGenerativeModel Model { get; }

    /// <summary>Builds a fresh model; its initial weights come from <paramref name="seed"/>.</summary>
    public static ModelInstance Create(IModelRecipe recipe, string optionsJson, long seed, torch.Device device)
    {
        torch.nn.Module module;
        lock (Runtime.GlobalRandom.Lock)
        {
            torch.manual_seed(seed);
            module = recipe.Build(optionsJson);
        }
        module.to(device);
        Runtime.ConvolutionLayout.Prefer(module, device);
        return new ModelInstance(recipe, optionsJson, module);
    }

    public void Dispose() => Module.Dispose();
}
