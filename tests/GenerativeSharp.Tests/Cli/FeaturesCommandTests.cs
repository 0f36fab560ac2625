using GenerativeSharp.Evaluation;
using GenerativeSharp.Imaging;
using GenerativeSharp.Persistence;

namespace GenerativeSharp.Tests.Cli;

public sealed class FeaturesCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Features_trains_on_the_union_of_two_folders_and_reports_each()
    {
        string first = WriteStyle("style-a", shift: 0, classes: ["circle", "square"]);
        string second = WriteStyle("style-b", shift: 40, classes: ["circle", "square"]);
        string output = _dir.File("net.safetensors");

        CliOutcome run = CliHost.Run("features", "--data", first, "--data", second, "--image-size", "32", "--epochs", "2", "--out", output);

        Assert.True(run.Code == 0, run.Error);
        Assert.Contains("(16 test images)", run.Out);                                   // 8 + 8
        Assert.Contains($"each: {first} ", run.Out);
        Assert.Contains($", {second} ", run.Out);
        Assert.Contains("test split sha256", run.Error);
        using SafeTensorsContent content = SafeTensorsFile.Read(File.ReadAllBytes(output));
        Assert.Equal("3,32,32", content.Metadata[FeatureClassifier.InputShapeKey]);
        Assert.Equal("2", content.Metadata[FeatureClassifier.ClassesKey]);
        Assert.Equal($"gensharp features --data {first} --data {second} --image-size 32 --epochs 2 --seed 0", content.Metadata["gensharp_command"]);
        Assert.Equal(2, content.Metadata["gensharp_fits_test_sha256"].Split(',').Length);
    }

    [Fact]
    public void Features_refuses_folders_with_different_classes_or_sizes()
    {
        string first = WriteStyle("a", shift: 0, classes: ["circle", "square"]);
        string other = WriteStyle("b", shift: 0, classes: ["circle", "star"]);
        CliOutcome classes = CliHost.Run("features", "--data", first, "--data", other, "--image-size", "32", "--out", _dir.File("x.safetensors"));
        Assert.NotEqual(0, classes.Code);
        Assert.Contains("different classes", classes.Error);
        CliOutcome size = CliHost.Run("features", "--data", first, "--out", _dir.File("y.safetensors"));   // 40 x 40 files, no --image-size
        Assert.NotEqual(0, size.Code);
        Assert.Contains("--image-size", size.Error);
    }

    /// <summary>An ImageFolder of 40x40 colour PNGs: 12 train and 8 test images, a bright disc or square per class on a tinted ground.</summary>
    private string WriteStyle(string name, int shift, string[] classes)
    {
        string root = _dir.File(name);
        for (int i = 0; i < 20; i++)
        {
            int label = i % 2;
            var pixels = new byte[40 * 40 * 3];
            for (int y = 0; y < 40; y++)
                for (int x = 0; x < 40; x++)
                {
                    int dx = x - 20 - i % 5, dy = y - 20 + i % 3;
                    bool on = label == 0 ? dx * dx + dy * dy < 100 : Math.Abs(dx) < 9 && Math.Abs(dy) < 9;
                    for (int c = 0; c < 3; c++)
                        pixels[(y * 40 + x) * 3 + c] = (byte)(on ? 230 - 60 * c : 40 + shift + 10 * c);
                }
            PngFile.Write(Path.Combine(root, i < 12 ? "train" : "test", classes[label], $"{i}.png"), pixels, 40, 40, 3);
        }
        return root;
    }
}
