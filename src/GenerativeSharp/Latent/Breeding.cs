using System.Text.Json;
using GenerativeSharp.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Latent;

/// <summary>
/// Breeding in latent space, in the spirit of GANBreeder (Simon 2018, after Secretan et al.'s Picbreeder,
/// 2008): every image has a seed; a seed's latent code is N(0, I) drawn from that seed, unless it names a
/// child bred earlier, whose code is kept in DIR/genomes.json. A child takes each latent coordinate from a
/// uniformly chosen parent (uniform crossover), then mutates: z = sqrt(1 - m^2) z_cross + m eps with
/// eps ~ N(0, I), which keeps every coordinate N(0, 1). Everything follows from the parents' seeds, the
/// mutation m and the breeding seed, so the same command gives the same children and seeds.
/// For a class-conditional model the genome also carries class genes, as in GANBreeder (there over
/// BigGAN's classes): C weights summing to 1 appended to the code. A fresh seed draws one class (a
/// one-hot vector) after its code; a child's class weights are a random convex combination of its
/// parents' (Dirichlet(1, ..., 1) shares), so children can lie between classes.
/// </summary>
public sealed class Breeding
{
    public const string GenomesFileName = "genomes.json";

    private readonly string path;
    private readonly SortedDictionary<long, float[]> genomes;

    private Breeding(string path, SortedDictionary<long, float[]> genomes)
    {
        this.path = path;
        this.genomes = genomes;
    }

    /// <summary>Opens (or starts) the genome book of a run directory.</summary>
    public static Breeding Open(string directory)
    {
        string file = Path.Combine(directory, GenomesFileName);
        if (!File.Exists(file)) return new Breeding(file, []);
        try
        {
            var stored = JsonSerializer.Deserialize<Dictionary<string, float[]>>(File.ReadAllText(file)) ?? [];
            return new Breeding(file, new SortedDictionary<long, float[]>(stored.ToDictionary(p => long.Parse(p.Key, System.Globalization.CultureInfo.InvariantCulture), p => p.Value)));
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new InvalidInputException($"{file} cannot be read ({e.Message}); move it away to start breeding afresh.");
        }
    }

    /// <summary>
    /// The genome of a seed, float32 [latent + classes] on the CPU: a bred child's stored genome, else
    /// N(0, I) from the seed followed (when <paramref name="classes"/> &gt; 0) by a one-hot class drawn next.
    /// </summary>
    public Tensor LatentOf(long seed, int latent, int classes = 0)
    {
        if (genomes.TryGetValue(seed, out float[]? genome))
        {
            if (genome.Length != latent + classes)
                throw new InvalidInputException(
                    $"seed {seed} is a child of another model: its genome has {genome.Length} numbers, this model reads {latent} (latent) + {classes} (classes).");
            return tensor(genome);
        }
        using var generator = new Generator(unchecked((ulong)seed));
        Tensor code = randn([latent], generator: generator);
        if (classes == 0) return code;
        using var scope = NewDisposeScope();
        Tensor label = randint(classes, [1], generator: generator);                               // [1] int64
        Tensor oneHot = nn.functional.one_hot(label, classes).squeeze(0).to(ScalarType.Float32);  // [classes]
        return cat([code, oneHot]).MoveToOuterDisposeScope();                                      // [latent + classes]
    }

    /// <summary>
    /// Breeds <paramref name="children"/> genomes from the parents' seeds; returns the children's new seeds
    /// and genomes [children, latent + classes].
    /// </summary>
    public (long[] Seeds, Tensor Codes) Breed(IReadOnlyList<long> parents, int children, double mutation, long seed, int latent, int classes = 0)
    {
        if (parents.Count < 1) throw new InvalidInputException("--parents: give at least one seed.");
        if (children < 1) throw new InvalidInputException($"--children {children}: expected an integer >= 1.");
        if (!(mutation >= 0 && mutation <= 1)) throw new InvalidInputException($"--mutation {mutation}: expected a number in [0, 1].");
        using var scope = NewDisposeScope();
        Tensor genomesOfParents = stack(parents.Select(p => LatentOf(p, latent, classes)).ToArray());  // [P, L + C]
        Tensor codes = genomesOfParents.narrow(1, 0, latent);                                     // [P, L]
        long lineage = parents.Aggregate(seed, (h, p) => unchecked((long)Seeds.Derive(h, p)));
        using var generator = new Generator(Seeds.Derive(lineage, (long)BitConverter.DoubleToInt64Bits(mutation)));
        Tensor choice = randint(parents.Count, [children, latent], generator: generator);         // [N, L]: which parent gives each coordinate
        Tensor crossed = codes.t().unsqueeze(0).expand(children, latent, parents.Count)           // [N, L, P]
            .gather(2, choice.unsqueeze(2)).squeeze(2);                                            // [N, L]
        Tensor noise = randn([children, latent], generator: generator);
        Tensor bred = Math.Sqrt(1 - mutation * mutation) * crossed + mutation * noise;
        if (classes > 0)
        {
            Tensor exponential = -rand([children, parents.Count], generator: generator).clamp_min(1e-12).log();   // [N, P]
            Tensor shares = exponential / exponential.sum(1, keepdim: true);                         // Dirichlet(1, ..., 1)
            bred = cat([bred, shares.matmul(genomesOfParents.narrow(1, latent, classes))], 1);      // [N, L + C]
        }
        long[] seeds = Enumerable.Range(0, children)
            .Select(i => (long)(Seeds.Derive(lineage, 7, (long)BitConverter.DoubleToInt64Bits(mutation), i) % 1_000_000_000UL))
            .ToArray();
        for (int i = 0; i < children; i++)
            genomes[seeds[i]] = bred[i].data<float>().ToArray();
        return (seeds, bred.MoveToOuterDisposeScope());
    }

    /// <summary>"class 3", "class 3 97%", or the classes holding at least 5% of the weights, largest first: "classes 3 60%, 8 40%".</summary>
    public static string DescribeClasses(Tensor weights)
    {
        float[] w = weights.data<float>().ToArray();
        var shares = w.Select((v, c) => (Class: c, Share: v)).Where(p => p.Share >= 0.05f).OrderByDescending(p => p.Share).ToList();
        if (shares.Count == 1)
            return shares[0].Share > 0.995f ? $"class {shares[0].Class}" : $"class {shares[0].Class} {Math.Round(shares[0].Share * 100):0}%";
        return "classes " + string.Join(", ", shares.Select(p => $"{p.Class} {Math.Round(p.Share * 100):0}%"));
    }

    /// <summary>Stores the genome book (atomically), so children's seeds can be parents later.</summary>
    public void Save()
    {
        var stored = genomes.ToDictionary(p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.Value);
        string temporary = path + ".part";
        File.WriteAllText(temporary, JsonSerializer.Serialize(stored));
        File.Move(temporary, path, overwrite: true);
    }
}
