using GenerativeSharp.Latent;
using GenerativeSharp.Tests.Cli;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Latent;

public sealed class BreedingTests
{
    [Fact]
    public void The_same_parents_mutation_and_seed_give_the_same_children_and_children_can_be_parents()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        Breeding a = Breeding.Open(first.Path), b = Breeding.Open(second.Path);
        var (seedsA, codesA) = a.Breed([3, 17], 6, 0.3, seed: 5, latent: 10);
        var (seedsB, codesB) = b.Breed([3, 17], 6, 0.3, seed: 5, latent: 10);
        using (codesA) using (codesB)
        {
            Assert.Equal(seedsA, seedsB);
            Assert.Equal(6, seedsA.Distinct().Count());
            Assert.True(codesA.equal(codesB).all().item<bool>());

            // Without mutation each coordinate of a child comes from one of its parents.
            var (_, pure) = a.Breed([3, 17], 4, 0, seed: 1, latent: 10);
            using Tensor p3 = a.LatentOf(3, 10), p17 = a.LatentOf(17, 10);
            using (pure)
                Assert.True(((pure == p3) | (pure == p17)).all().item<bool>());

            // A stored child is a parent like any other, also after reopening the directory.
            a.Save();
            Breeding reopened = Breeding.Open(first.Path);
            using Tensor child = reopened.LatentOf(seedsA[2], 10);
            Assert.True(child.equal(codesA[2]).all().item<bool>());
            var (grandchildren, codes) = reopened.Breed([seedsA[0], seedsA[1]], 2, 0.1, seed: 0, latent: 10);
            codes.Dispose();
            Assert.Equal(2, grandchildren.Length);
        }
    }

    [Fact]
    public void Class_genes_start_one_hot_and_children_mix_only_their_parents_classes()
    {
        using var directory = new TempDirectory();
        Breeding book = Breeding.Open(directory.Path);
        using var scope = NewDisposeScope();
        long[] parents = Enumerable.Range(0, 40).Select(i => (long)i).Where(s => Label(book, s) != Label(book, 0)).Take(1).Prepend(0).ToArray();
        Tensor[] genomes = parents.Select(p => book.LatentOf(p, 5, 4)).ToArray();
        foreach (Tensor g in genomes)
        {
            Assert.True(g.narrow(0, 0, 5).equal(book.LatentOf(0 + parents[Array.IndexOf(genomes, g)], 5)).all().item<bool>(), "class genes changed the code");
            Assert.Equal(1f, g.narrow(0, 5, 4).sum().item<float>());
            Assert.Equal(1f, g.narrow(0, 5, 4).max().item<float>());
        }
        var (seeds, children) = book.Breed(parents, 6, 0.2, seed: 3, latent: 5, classes: 4);
        Tensor weights = children.narrow(1, 5, 4);                                            // [6, 4]
        Assert.True((weights.sum(1) - 1).abs().max().item<float>() < 1e-5);
        Assert.True(weights.min().item<float>() >= 0);
        Tensor parentClasses = stack(genomes).narrow(1, 5, 4).sum([0]);                        // [4]: 1 where a parent has the class
        Assert.True((weights * (1 - parentClasses)).abs().max().item<float>() == 0, $"a child took a class no parent has: {string.Join(" ", weights.data<float>().ToArray())} vs {string.Join(" ", parentClasses.data<float>().ToArray())}");
        // The code part is what breeding without classes gives.
        using var other = new TempDirectory();
        var (_, plain) = Breeding.Open(other.Path).Breed(parents, 6, 0.2, seed: 3, latent: 5);
        Assert.True(plain.equal(children.narrow(1, 0, 5)).all().item<bool>());
        Assert.Contains("%", Breeding.DescribeClasses(weights[0]));
        Assert.Equal("class 2", Breeding.DescribeClasses(tensor(new float[] { 0, 0, 1, 0 })));
    }

    private static long Label(Breeding book, long seed)
    {
        using Tensor genome = book.LatentOf(seed, 5, 4);
        return genome.narrow(0, 5, 4).argmax().item<long>();
    }

    [Fact]
    public void Breed_command_writes_the_same_grid_twice_and_continues_from_a_child()
    {
        using var directory = new TempDirectory();
        string data = SyntheticImages.WriteIdxDirectory(directory.File("data"));
        string run = directory.File("run");
        CliOutcome train = CliHost.Run("train", "dcgan", "--data", data, "--steps", "4", "--out", run, "--batch-size", "16",
            "--set", "hidden=8", "--set", "latent=6", "--progress", "none");
        Assert.True(train.Code == 0, train.Error);
        CliOutcome one = CliHost.Run("breed", run, "--parents", "1,2", "--children", "4", "--mutation", "0.2", "--out", directory.File("a.png"));
        CliOutcome two = CliHost.Run("breed", run, "--parents", "1,2", "--children", "4", "--mutation", "0.2", "--out", directory.File("b.png"));
        Assert.True(one.Code == 0, one.Error);
        Assert.Equal(one.Out.Replace("a.png", "b.png"), two.Out);
        Assert.Equal(File.ReadAllBytes(directory.File("a.png")), File.ReadAllBytes(directory.File("b.png")));
        string child = one.Out.Trim().Split("children ")[1].Split(',')[0];
        CliOutcome next = CliHost.Run("breed", run, "--parents", $"{child},1", "--children", "2", "--out", directory.File("c.png"));
        Assert.True(next.Code == 0, next.Error);
        foreach (string walk in new[] { "--spherical", "" })
        {
            string[] args = ["interpolate", run, "--seeds", $"{child},1", "--steps", "5", "--out", directory.File($"i{walk}.png")];
            CliOutcome strip = CliHost.Run(walk.Length > 0 ? [.. args, walk] : args);
            Assert.True(strip.Code == 0, strip.Error);
        }
    }
}
