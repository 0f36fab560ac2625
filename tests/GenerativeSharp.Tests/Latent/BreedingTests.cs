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
