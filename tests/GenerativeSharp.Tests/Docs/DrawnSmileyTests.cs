using GenerativeSharp.Imaging;
using GenerativeSharp.Tests.Cli;

namespace GenerativeSharp.Tests.Docs;

/// <summary>The drawn smiley of the README's out-of-data translation is the drawing code's, and <c>translate</c> takes it.</summary>
public sealed class DrawnSmileyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_docs_smiley_is_the_drawing_and_pix2pix_translates_it()
    {
        string drawn = _dir.File("smiley.png");
        DrawnSmiley.Draw().WritePng(drawn);
        string committed = Path.Combine(RepositoryRoot.Path, DrawnSmiley.DocsPath);
        if (Environment.GetEnvironmentVariable("GENSHARP_WRITE_DOCS") == "1") File.Copy(drawn, committed, overwrite: true);
        // Anti-aliasing may round differently on another CPU: the same picture within a few grey levels.
        using TorchSharp.torch.Tensor expected = GenerativeSharp.Data.ImageFile.Read(committed, 3, 64), actual = GenerativeSharp.Data.ImageFile.Read(drawn, 3, 64);
        using TorchSharp.torch.Tensor difference = (expected - actual).abs();
        Assert.True(difference.max().item<float>() <= 16f / 255 && difference.mean().item<float>() <= 1f / 255,
            $"the drawing differs from {DrawnSmiley.DocsPath}: max {difference.max().item<float>() * 255:0} levels");

        string run = _dir.File("run");
        string a = PairedColourFolders.WriteStyle(_dir.File("a"), 30), b = PairedColourFolders.WriteStyle(_dir.File("b"), 200);
        CliOutcome trained = CliHost.Run("train", "pix2pix", "--data", a, "--target", b, "--steps", "1", "--out", run,
            "--set", "ngf=4", "--set", "ndf=4", "--image-size", "32", "--batch-size", "4", "--progress", "none");
        Assert.True(trained.Code == 0, trained.Error);
        string output = _dir.File("out.png");
        CliOutcome translated = CliHost.Run("translate", run, "--image", committed, "--out", output);
        Assert.True(translated.Code == 0, translated.Error);
        Assert.Equal((32, 32), CliAssertions.PngSize(output));
    }
}
