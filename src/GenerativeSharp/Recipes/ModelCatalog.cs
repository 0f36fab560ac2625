namespace GenerativeSharp.Recipes;

/// <summary>Every registered model by name.</summary>
public static class ModelCatalog
{
    private static readonly IReadOnlyList<IModelRecipe> Registered =
    [
        new VaeRecipe(), new RbmRecipe(), new GsnRecipe(), new NadeRecipe(), new MadeRecipe(), new PixelCnnRecipe(), new GatedPixelCnnRecipe(),
        new RealNvpRecipe(), new MafRecipe(), new NiceRecipe(), new GlowRecipe(), new GanRecipe(), new DcganRecipe(), new WganGpRecipe(),
        new CganRecipe(), new Pix2PixRecipe(), new CycleGanRecipe(), new DdpmRecipe(),
        new DfcVaeRecipe(), new VqVaeRecipe(),
    ];

    public static IReadOnlyList<IModelRecipe> All => Registered;

    /// <summary>The recipe called <paramref name="name"/>, or a one-line error listing the known names.</summary>
    public static IModelRecipe Get(string name)
    {
        return Registered.FirstOrDefault(r => string.Equals(r.Info.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidInputException(
                $"unknown model '{name}': expected one of {string.Join(", ", Registered.Select(r => r.Info.Name))} (see 'gensharp models').");
    }
}
