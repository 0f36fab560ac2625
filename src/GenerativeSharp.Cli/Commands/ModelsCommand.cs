using System.CommandLine;
using System.Text.Json.Nodes;
using GenerativeSharp.Models;
using GenerativeSharp.Recipes;

namespace GenerativeSharp.Cli.Commands;

/// <summary><c>gensharp models [--json]</c>: the taxonomy as a tree with each registered model under its cell.</summary>
internal static class ModelsCommand
{
    private static readonly (string Branch, string Group, TaxonomyCell Cell, string Label)[] Tree =
    [
        ("explicit density", "tractable", TaxonomyCell.FullyVisibleBeliefNet, "fully visible belief nets"),
        ("explicit density", "tractable", TaxonomyCell.ChangeOfVariables, "change of variables"),
        ("explicit density", "approximate", TaxonomyCell.Variational, "variational"),
        ("explicit density", "approximate", TaxonomyCell.MarkovChainBoltzmann, "Markov chain"),
        ("implicit density", "", TaxonomyCell.DirectImplicit, "direct"),
        ("implicit density", "", TaxonomyCell.MarkovChainImplicit, "Markov chain"),
        ("beyond the taxonomy", "", TaxonomyCell.Diffusion, "diffusion"),
    ];

    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "print a JSON array of {name, cell, family, likelihood}" };
        var command = new Command("models", "List the models, each under its cell of the taxonomy.") { json };
        command.SetAction(parsed =>
        {
            if (parsed.GetValue(json)) PrintJson(context.Out);
            else PrintTree(context.Out);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void PrintJson(TextWriter output)
    {
        var array = new JsonArray();
        foreach (IModelRecipe recipe in ModelCatalog.All)
            array.Add(new JsonObject
            {
                ["name"] = recipe.Info.Name,
                ["cell"] = recipe.Info.CellName,
                ["family"] = recipe.Info.Family,
                ["likelihood"] = recipe.Info.Likelihood.ToString().ToLowerInvariant(),
            });
        output.WriteLine(array.ToJsonString());
    }

    private static void PrintTree(TextWriter output)
    {
        string? branch = null, group = null;
        foreach (var (b, g, cell, label) in Tree)
        {
            if (b != branch) { output.WriteLine(b); branch = b; group = null; }
            string indent = "  ";
            if (g.Length > 0)
            {
                if (g != group) { output.WriteLine($"  {g}"); group = g; }
                indent = "    ";
            }
            var models = ModelCatalog.All.Where(r => r.Info.Cell == cell).ToList();
            output.WriteLine($"{indent}{label}{(models.Count == 0 ? ": (none yet)" : "")}");
            foreach (IModelRecipe recipe in models)
            {
                output.WriteLine($"{indent}  {recipe.Info.Name,-10} likelihood: {recipe.Info.Likelihood.ToString().ToLowerInvariant(),-9} {recipe.Info.Summary}");
                foreach (SettingInfo setting in recipe.Settings)
                    output.WriteLine($"{indent}      --set {setting.Key}=  {setting.Description} (default {setting.Default})");
            }
        }
    }
}
