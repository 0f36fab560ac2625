using System.CommandLine;
using System.Globalization;
using GenerativeSharp.Imaging;
using GenerativeSharp.Latent;
using GenerativeSharp.Models;
using GenerativeSharp.Runtime;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Cli.Commands;

/// <summary>
/// <c>gensharp breed DIR --parents SEED,SEED --children N --mutation X</c>: mixes the parents' latent codes
/// (<see cref="Breeding"/>), decodes the children and writes a grid (parents first, then children) with each
/// seed under its image; a child's seed can be a parent in the next call. On a class-conditional GAN the
/// genomes carry class genes too (<see cref="Breeding"/>), and each seed's classes are printed.
/// </summary>
internal static class BreedCommand
{
    public static Command Create(CliContext context)
    {
        var directory = new Argument<string>("DIR") { Description = "a run directory of a model with a latent space (gan, dcgan, wgan-gp, cgan, vae, ddpm on images)" };
        var parents = new Option<string>("--parents") { Description = "comma-separated seeds, e.g. 3,17 (a child's seed works too)", Required = true };
        var children = new Option<int>("--children") { Description = "how many children", DefaultValueFactory = _ => 8 };
        var mutation = new Option<double>("--mutation") { Description = "share of fresh noise in [0, 1]", DefaultValueFactory = _ => 0.25 };
        var seed = CommonOptions.Seed();
        var output = new Option<string?>("--out") { Description = "PNG file (default DIR/breed-PARENTS.png)" };
        var device = CommonOptions.Device();
        var command = new Command("breed", "Breed new images from parents' latent codes (crossover and mutation); prints the children's seeds.")
        {
            directory, parents, children, mutation, seed, output, device,
        };
        command.SetAction(parsed =>
        {
            string dir = parsed.GetValue(directory)!;
            long[] parentSeeds = ParseSeeds(parsed.GetValue(parents)!);
            int count = CommonOptions.Positive("--children", parsed.GetValue(children));
            torch.Device target = TorchRuntime.ResolveDevice(parsed.GetValue(device)!);
            using LoadedCheckpoint checkpoint = Checkpoint.Load(dir, target);
            using var model = checkpoint.Model;
            if (model.Model is not ILatentModel latent)
                throw new InvalidInputException($"{model.Recipe.Info.Name}: breeding needs an image model with a flat latent code.");
            GenomeLayout layout = GenomeLayout.Of(latent, "breeding");                  // class genes too, for conditional GANs
            Breeding book = Breeding.Open(dir);
            var (childSeeds, codes) = book.Breed(parentSeeds, count, parsed.GetValue(mutation), parsed.GetValue(seed), layout.Latent, layout.Classes);
            using var scope = torch.NewDisposeScope();
            model.Module.eval();
            int columns = Math.Max(parentSeeds.Length, Math.Min(count, 8));
            int blanks = columns - parentSeeds.Length;                                  // the parents' row is padded, children start a new row
            torch.Tensor parentGenomes = torch.stack(parentSeeds.Select(s => layout.Of(book, s)).ToArray());       // [P, L + C]
            torch.Tensor all = torch.cat([parentGenomes, torch.zeros(blanks, layout.Latent + layout.Classes), codes]).to(target);
            torch.Tensor images = layout.Decode(latent, all).cpu();                    // [P + blanks + N, ...event]
            string path = parsed.GetValue(output) ?? Path.Combine(dir, $"breed-{string.Join("-", parentSeeds)}.png");
            string?[] labels = [.. parentSeeds.Select(s => s.ToString(CultureInfo.InvariantCulture)), .. Enumerable.Repeat<string?>(null, blanks),
                .. childSeeds.Select(s => s.ToString(CultureInfo.InvariantCulture))];
            LabelledGrid.Write(path, images, labels, columns);
            book.Save();
            context.Out.WriteLine($"wrote {path}: parents {string.Join(", ", parentSeeds)} (first row), children {string.Join(", ", childSeeds)}");
            if (layout.Classes > 0)
            {
                // [P + N, C] -> one line per seed: "17: class 3", "123456: classes 3 60%, 8 40%"
                torch.Tensor weights = torch.cat([parentGenomes, codes]).narrow(1, layout.Latent, layout.Classes);
                long[] shown = [.. parentSeeds, .. childSeeds];
                for (int i = 0; i < shown.Length; i++)
                    context.Out.WriteLine($"  {shown[i]}: {Breeding.DescribeClasses(weights[i])}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static long[] ParseSeeds(string text)
    {
        try
        {
            long[] seeds = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(s => long.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
            return seeds.Length > 0 ? seeds : throw new FormatException();
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new InvalidInputException($"--parents {text}: expected comma-separated non-negative integer seeds, e.g. 3,17.");
        }
    }
}
