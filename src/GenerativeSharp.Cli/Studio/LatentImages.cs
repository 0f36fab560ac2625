using System.Globalization;
using GenerativeSharp.Latent;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Diffusion;
using GenerativeSharp.Models.Diffusion.Samplers;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Cli.Studio;

/// <summary>
/// The gallery, breeding and interpolation views' torch work, through the same library calls as
/// <c>gensharp sample</c>, <c>breed</c> and <c>interpolate --seeds</c>. Called inside <see cref="StudioRun.EvaluateAsync{T}"/>.
/// </summary>
internal static class LatentImages
{
    /// <summary>The most children one breeding request makes.</summary>
    public const int MaxChildren = 32;

    /// <summary>One gallery image as PNG bytes.</summary>
    public static byte[] Sample(StudioRun run, LoadedCheckpoint loaded, SampleQuery query)
    {
        RunDescription can = StudioRun.Describe(run, loaded);
        var model = loaded.Model;
        if (!can.Samples) throw new InvalidInputException($"{can.Model} does not draw images on its own (use the translate view).");
        if (query.Seed < 0) throw new InvalidInputException($"seed {query.Seed}: expected a non-negative integer.");
        if (query.Label is int label && can.Classes == 0) throw new InvalidInputException($"label: this {can.Model} is not class-conditional.");
        if (query.Label is int l && (l < 0 || l >= can.Classes)) throw new InvalidInputException($"label {l}: expected a class in [0, {can.Classes - 1}].");
        if (query.Steps is int s && (!can.Diffusion || s < 1 || s > 1000))
            throw new InvalidInputException(can.Diffusion ? $"steps {s}: expected 1 to 1000." : $"steps: this {can.Model} is not a diffusion model.");
        if (query.Guidance is double w && (model.Module is not ConditionalDdpm || query.Label is null || !(w >= 0 && w <= 20)))
            throw new InvalidInputException("guidance: needs a class-conditional diffusion model, a label, and a weight in [0, 20].");
        if (query.Temperature is double t && (!can.Temperature || !(t > 0 && t <= 10)))
            throw new InvalidInputException(can.Temperature ? $"temperature {t}: expected a number in (0, 10]." : $"temperature: this {can.Model} has no temperature.");

        if (can.Breeds && query.Plain)
        {
            var latent = (ILatentModel)model.Model;
            GenomeLayout layout = GenomeLayout.Of(latent, "the gallery");
            return PngEncoding.Encode(layout.Decode(latent, layout.Of(run.Book, query.Seed).unsqueeze(0)));
        }
        using var generator = new torch.Generator((ulong)query.Seed, torch.CPU);
        IDiffusionSampler? sampler = DiffusionSamplerChoice.Parse(model, null, query.Steps, null);
        torch.Tensor image = model.Module switch
        {
            ConditionalDdpm conditional when query.Label is int c =>
                conditional.SampleClasses(torch.full([1], c, torch.ScalarType.Int64), query.Guidance ?? 0, sampler ?? conditional.DefaultSampler, generator),
            IDiffusionModel diffusion when sampler is not null => diffusion.Sample(1, sampler, generator),
            IConditionalSampler conditional when query.Label is int c => conditional.Sample(torch.full([1], c, torch.ScalarType.Int64), generator),
            _ when query.Temperature is double temperature => ((ITemperedSampler)model.Model).Sample(1, temperature, generator),
            _ => model.Model.Sample(1, generator),
        };
        return PngEncoding.Encode(image);
    }

    /// <summary>Breeds children as <c>gensharp breed</c> does and stores their genomes in the run's genomes.json.</summary>
    public static BreedAnswer Breed(StudioRun run, LoadedCheckpoint loaded, BreedRequest request)
    {
        GenomeLayout layout = LayoutOf(loaded, "breeding");
        long[] parents = request.Parents ?? [];
        if (parents.Length is < 1 or > 16) throw new InvalidInputException("parents: give 1 to 16 seeds.");
        if (parents.Any(p => p < 0)) throw new InvalidInputException("parents: seeds are non-negative integers.");
        if (request.Children is < 1 or > MaxChildren) throw new InvalidInputException($"children {request.Children}: expected 1 to {MaxChildren}.");
        var (children, _) = run.Book.Breed(parents, request.Children, request.Mutation, request.Seed, layout.Latent, layout.Classes);
        run.Book.Save();
        string command = string.Create(CultureInfo.InvariantCulture,
            $"gensharp breed {run.Directory} --parents {string.Join(",", parents)} --children {request.Children} --mutation {request.Mutation:R} --seed {request.Seed}");
        return new BreedAnswer(children, command);
    }

    /// <summary>
    /// The image at point <paramref name="index"/> of <paramref name="steps"/> on the path between the genomes of seeds
    /// <paramref name="a"/> and <paramref name="b"/> (as <c>gensharp interpolate --seeds A,B --steps N</c> draws them).
    /// </summary>
    public static byte[] Interpolate(StudioRun run, LoadedCheckpoint loaded, long a, long b, int steps, int index, InterpolationPath path)
    {
        GenomeLayout layout = LayoutOf(loaded, "interpolation");
        if (a < 0 || b < 0) throw new InvalidInputException("a, b: seeds are non-negative integers.");
        if (steps is < 2 or > 256) throw new InvalidInputException($"steps {steps}: expected 2 to 256.");
        if (index < 0 || index >= steps) throw new InvalidInputException($"index {index}: expected 0 to {steps - 1}.");
        torch.Tensor genomes = layout.Between(layout.Of(run.Book, a), layout.Of(run.Book, b), steps, path);   // [steps, L + C]
        return PngEncoding.Encode(layout.Decode((ILatentModel)loaded.Model.Model, genomes.narrow(0, index, 1)));
    }

    /// <summary>The run's genome book as <c>gensharp breed</c> stores it (an empty object before any breeding).</summary>
    public static string Genomes(StudioRun run)
    {
        string file = Path.Combine(run.Directory, Breeding.GenomesFileName);
        return File.Exists(file) ? File.ReadAllText(file) : "{}";
    }

    private static GenomeLayout LayoutOf(LoadedCheckpoint loaded, string use) => loaded.Model.Model is ILatentModel latent
        ? GenomeLayout.Of(latent, use)
        : throw new InvalidInputException($"{use} needs a model with a latent code; {loaded.Model.Recipe.Info.Name} has none.");
}
