using GenerativeSharp.Recipes;

namespace GenerativeSharp.Models.Diffusion.Samplers;

/// <summary>The sampler that <c>gensharp sample --sampler ddpm|ddim --steps S --eta X</c> asks for, checked against the model.</summary>
public static class DiffusionSamplerChoice
{
    /// <summary>
    /// null when no flag is given (the model's own sampling); otherwise the sampler, refusing in one line flags for a model
    /// that is not a diffusion model, an unknown name, and --steps or --eta with the ancestral sampler.
    /// </summary>
    public static IDiffusionSampler? Parse(ModelInstance model, string? sampler, int? steps, double? eta)
    {
        if (sampler is null && steps is null && eta is null) return null;
        string flags = string.Join(", ", new[] { sampler is null ? null : "--sampler", steps is null ? null : "--steps", eta is null ? null : "--eta" }
            .Where(f => f is not null));
        if (model.Module is not IDiffusionModel diffusion)
            throw new InvalidInputException($"{flags}: this {model.Recipe.Info.Name} is not a diffusion model; only ddpm runs take a sampler.");
        switch ((sampler ?? "ddim").Trim().ToLowerInvariant())
        {
            case "ddim":
                return new DdimSampler(steps ?? Math.Min(Ddpm.DefaultSamplingSteps, diffusion.Schedule.Timesteps), eta ?? 0);
            case "ddpm":
                if (steps is not null || eta is not null)
                    throw new InvalidInputException("--sampler ddpm takes every one of the model's steps with its fixed variance; --steps and --eta are for ddim.");
                return diffusion.AncestralSampler;
            default:
                throw new InvalidInputException($"--sampler {sampler}: expected ddpm or ddim.");
        }
    }
}
