using GenerativeSharp.Evaluation;
using StbImageWriteSharp;

namespace GenerativeSharp.Tests.Docs;

/// <summary>docs/library.md's example is this repository's code: it compiles here, runs on tiny data, and the page shows it verbatim.</summary>
public sealed class LibraryExampleTests
{
    [Fact]
    public void The_library_page_shows_the_example_that_this_test_compiles_and_runs()
    {
        string page = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "library.md"));
        string[] source = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "tests", "GenerativeSharp.Tests", "Docs", "LibraryExample.cs"));
        int start = Array.FindIndex(source, l => l.Trim() == "// <example>"), end = Array.FindIndex(source, l => l.Trim() == "// </example>");
        Assert.True(start >= 0 && end > start, "LibraryExample.cs has no example markers");
        string[] lines = source[(start + 1)..end];
        int indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        string example = string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..].TrimEnd() : l.TrimEnd()));
        Assert.Contains(example, page.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void The_example_loads_a_folder_trains_saves_loads_samples_and_evaluates()
    {
        using var root = new TempDirectory();
        string folder = Path.Combine(root.Path, "shapes");
        WriteColourFolder(folder);
        string run = Path.Combine(root.Path, "run");

        EvaluationReport report = LibraryExample.Run(folder, run);

        Assert.True(File.Exists(Path.Combine(run, "checkpoint.safetensors")));
        Assert.True(File.Exists(Path.Combine(run, "my-samples.png")));
        Assert.Equal("estimate", report.NllKind);
        Assert.True(report.NllNats is double nll && double.IsFinite(nll), $"NLL {report.NllNats}");
        Assert.Equal("uniform", report.Dequantization);
    }

    /// <summary>Two classes of 20x20 RGBA PNGs (red and blue squares on transparent ground), 24 train and 8 test.</summary>
    private static void WriteColourFolder(string folder)
    {
        var random = new Random(5);
        foreach (string split in new[] { "train", "test" })
            foreach (var (name, colour) in new[] { ("red", (255, 40, 40)), ("blue", (40, 40, 255)) })
            {
                string directory = Path.Combine(folder, split, name);
                Directory.CreateDirectory(directory);
                for (int i = 0; i < (split == "train" ? 12 : 4); i++)
                {
                    var pixels = new byte[20 * 20 * 4];
                    int x0 = random.Next(0, 10), y0 = random.Next(0, 10);
                    for (int y = y0; y < y0 + 10; y++)
                        for (int x = x0; x < x0 + 10; x++)
                        {
                            int p = (y * 20 + x) * 4;
                            (pixels[p], pixels[p + 1], pixels[p + 2], pixels[p + 3]) = ((byte)colour.Item1, (byte)colour.Item2, (byte)colour.Item3, 255);
                        }
                    using var stream = File.Create(Path.Combine(directory, $"{i}.png"));
                    new ImageWriter().WritePng(pixels, 20, 20, ColorComponents.RedGreenBlueAlpha, stream);
                }
            }
    }
}
