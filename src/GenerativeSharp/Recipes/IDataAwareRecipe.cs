using GenerativeSharp.Data;

namespace GenerativeSharp.Recipes;

/// <summary>
/// A recipe whose options depend on which data it trains on, not only on the data's description: dfc-vae picks its
/// feature network the way eval does (<see cref="Evaluation.FeatureNetworks.For(DataSplits)"/>, by dataset name or test-split hash).
/// Training calls this instead of <see cref="IModelRecipe.ConfigureOptions"/>.
/// </summary>
public interface IDataAwareRecipe
{
    /// <summary>Options JSON for <paramref name="data"/> after the <c>--set</c> overrides; refuses data it cannot take in one line.</summary>
    string ConfigureOptions(DataSplits data, IReadOnlyDictionary<string, string> settings);
}
