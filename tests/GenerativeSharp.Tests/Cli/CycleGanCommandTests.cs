using System.Text.Json;
using GenerativeSharp.Imaging;

namespace GenerativeSharp.Tests.Cli;

/// <summary>cyclegan from the command line: training on two folders, <c>translate --direction</c> both ways, <c>eval</c>'s cycle_l1, and the refusals.</summary>
public sealed class CycleGanCommandTests : IDisposable
{
    private static readonly string[] Small =
        ["--set", "ngf=4", "--set", "ndf=4", "--set", "blocks=1", "--image-size", "32", "--batch-size", "4", "--progress", "none"];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Cyclegan_trains_on_two_folders_translates_both_ways_and_evaluates_its_cycle()
    {
        string run = _dir.File("run");
        CliOutcome trained = CliHost.Run([.. new[] { "train", "cyclegan", "--data", Style("a", 30), "--target", Style("b", 200),
            "--steps", "3", "--out", run }, .. Small]);
        Assert.True(trained.Code == 0, trained.Error);
        Assert.Contains("cyclegan trains unpaired: domain A is --data, domain B is --target", trained.Out + trained.Error);

        string image = _dir.File("in.png");
        var pixels = new byte[40 * 24 * 3];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i * 11 % 251);
        PngFile.Write(image, pixels, 40, 24, 3);
        foreach (string direction in new[] { "a2b", "b2a" })
        {
            string output = _dir.File($"{direction}.png");
            CliOutcome one = CliHost.Run("translate", run, "--image", image, "--out", output, "--direction", direction);
            Assert.True(one.Code == 0, one.Error);
            Assert.Equal((32, 32), CliAssertions.PngSize(output));
            string grid = _dir.File($"grid-{direction}.png");
            CliOutcome figure = CliHost.Run("translate", run, "--test", "2", "--out", grid, "--direction", direction);
            Assert.True(figure.Code == 0, figure.Error);
            Assert.Contains(direction, figure.Out);
            Assert.Equal((3 * 64 + 4 * 2, 2 * 64 + 3 * 2), CliAssertions.PngSize(grid));
        }
        Assert.False(File.ReadAllBytes(_dir.File("a2b.png")).SequenceEqual(File.ReadAllBytes(_dir.File("b2a.png"))), "G and F gave the same picture");

        string cycles = _dir.File("cycles.png");
        CliOutcome cycleFigure = CliHost.Run("translate", run, "--test", "3", "--cycle", "--out", cycles);
        Assert.True(cycleFigure.Code == 0, cycleFigure.Error);
        Assert.Contains("a | G(a) | F(G(a)) | b | F(b) | G(F(b))", cycleFigure.Out);
        Assert.Equal((6 * 64 + 7 * 2, 3 * 64 + 4 * 2), CliAssertions.PngSize(cycles));                  // 3 rows of 6 images
        CliAssertions.OneLineRefusal(CliHost.Run("translate", run, "--image", image, "--cycle", "--out", _dir.File("c.png")), "--cycle draws test pairs");

        CliOutcome eval = CliHost.Run("eval", run, "--json");
        Assert.True(eval.Code == 0, eval.Error);
        JsonElement json = JsonDocument.Parse(eval.LastLine).RootElement;
        foreach (string field in new[] { "cycle_l1", "translation_l1", "translation_psnr", "translation_ssim", "identity_l1" })
            Assert.True(json.GetProperty(field).GetDouble() is double v && double.IsFinite(v) && v >= 0, field);
        Assert.Equal("a2b", json.GetProperty("direction").GetString());

        CliAssertions.OneLineRefusal(CliHost.Run("translate", run, "--test", "2", "--out", _dir.File("x.png"), "--direction", "sideways"), "expected a2b or b2a");
        CliAssertions.OneLineRefusal(CliHost.Run("sample", run), "cyclegan translates an input image");
    }

    [Fact]
    public void Cyclegan_trains_on_two_folders_that_share_no_file_name_and_pix2pix_refuses_them()
    {
        string a = Style("a", 30), b = PairedColourFolders.WriteStyle(_dir.File("zebras"), 200, namePrefix: "zebra-", count: 6);   // 4 train, 2 test
        string run = _dir.File("unpaired");
        CliOutcome trained = CliHost.Run([.. new[] { "train", "cyclegan", "--data", a, "--target", b, "--steps", "4", "--out", run }, .. Small]);
        Assert.True(trained.Code == 0, trained.Error);
        string said = trained.Out + trained.Error;
        Assert.Contains("cyclegan trains on unpaired domains: A is --data (12 images), B is --target (4 images)", said);
        Assert.Contains("beside an unpaired domain of [3, 32, 32] images", said);                                   // 4 steps of 4 draw 16 B images from 4: they wrap

        CliOutcome eval = CliHost.Run("eval", run, "--json");
        Assert.True(eval.Code == 0, eval.Error);
        JsonElement json = JsonDocument.Parse(eval.LastLine).RootElement;
        Assert.False(json.GetProperty("translation_paired").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("translation_l1").ValueKind);               // no true output per input
        Assert.Equal(JsonValueKind.Null, json.GetProperty("identity_ssim").ValueKind);
        Assert.True(json.GetProperty("cycle_l1").GetDouble() is double cycle && double.IsFinite(cycle) && cycle >= 0);
        Assert.Equal(4, json.GetProperty("test_pairs").GetInt64());

        string grid = _dir.File("unpaired-grid.png");
        CliOutcome figure = CliHost.Run("translate", run, "--test", "3", "--out", grid);
        Assert.True(figure.Code == 0, figure.Error);
        Assert.Equal((2 * 64 + 3 * 2, 3 * 64 + 4 * 2), CliAssertions.PngSize(grid));                    // 3 rows of input | output: no truth to show
        CliOutcome cycles = CliHost.Run("translate", run, "--test", "2", "--cycle", "--out", _dir.File("unpaired-cycles.png"));
        Assert.True(cycles.Code == 0, cycles.Error);

        CliOutcome resumed = CliHost.Run("train", "cyclegan", "--data", a, "--target", b, "--steps", "5", "--out", run, "--resume",
            "--image-size", "32", "--batch-size", "4", "--progress", "none");
        Assert.True(resumed.Code == 0, resumed.Error);

        CliOutcome pix2pix = CliHost.Run("train", "pix2pix", "--data", a, "--target", b, "--steps", "1", "--out", _dir.File("p"),
            "--image-size", "32", "--progress", "none");
        CliAssertions.OneLineRefusal(pix2pix, "learns from pairs, but no --data image has a partner");
    }

    [Fact]
    public void B2a_is_refused_on_pix2pix_and_cyclegan_refuses_a_single_folder()
    {
        string run = _dir.File("pix2pix");
        CliOutcome trained = CliHost.Run("train", "pix2pix", "--data", Style("a", 30), "--target", Style("b", 200), "--steps", "1", "--out", run,
            "--set", "ngf=4", "--set", "ndf=4", "--image-size", "32", "--batch-size", "4", "--progress", "none");
        Assert.True(trained.Code == 0, trained.Error);
        CliAssertions.OneLineRefusal(CliHost.Run("translate", run, "--test", "2", "--out", _dir.File("x.png"), "--direction", "b2a"),
            "--direction b2a: pix2pix has no B -> A generator");
        CliAssertions.OneLineRefusal(CliHost.Run("translate", run, "--test", "2", "--cycle", "--out", _dir.File("z.png")),
            "--cycle: pix2pix has no B -> A generator");
        CliOutcome a2b = CliHost.Run("translate", run, "--test", "2", "--out", _dir.File("y.png"), "--direction", "a2b");
        Assert.True(a2b.Code == 0, a2b.Error);

        CliOutcome single = CliHost.Run([.. new[] { "train", "cyclegan", "--data", Style("a", 30), "--steps", "1", "--out", _dir.File("single") }, .. Small]);
        CliAssertions.OneLineRefusal(single, "cyclegan translates between two image domains: give --data A --target B");
    }

    [Fact]
    public void A_resumed_cyclegan_run_is_bit_identical_to_an_uninterrupted_one()
    {
        string Train(string name, int steps, params string[] extra)
        {
            string run = _dir.File(name);
            CliOutcome trained = CliHost.Run([.. new[] { "train", "cyclegan", "--data", Style("a", 30), "--target", Style("b", 200),
                "--steps", steps.ToString(), "--out", run }, .. Small, "--set", "pool=3", "--set", "schedule_steps=4", .. extra]);
            Assert.True(trained.Code == 0, trained.Error);
            return run;
        }
        string straight = Train("straight", 4);
        string split = Train("split", 2);
        CliOutcome resumed = CliHost.Run("train", "cyclegan", "--data", Style("a", 30), "--target", Style("b", 200), "--image-size", "32",
            "--steps", "4", "--out", split, "--resume", "--progress", "none");
        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "checkpoint.safetensors")), File.ReadAllBytes(Path.Combine(split, "checkpoint.safetensors")));
    }

    /// <summary>An ImageFolder of 20x20 colour PNGs, 12 train and 4 test, a blob on a ground of the given brightness.</summary>
    private string Style(string name, int ground)
    {
        string root = _dir.File(name);
        if (Directory.Exists(root)) return root;
        for (int i = 0; i < 16; i++)
        {
            var pixels = new byte[20 * 20 * 3];
            for (int y = 0; y < 20; y++)
                for (int x = 0; x < 20; x++)
                {
                    bool on = Math.Abs(x - 9 - i % 4) < 3 + i % 3 && Math.Abs(y - 10) < 4;
                    for (int c = 0; c < 3; c++)
                        pixels[(y * 20 + x) * 3 + c] = (byte)(on ? 230 - 60 * c : ground + 4 * c);
                }
            PngFile.Write(Path.Combine(root, i < 12 ? "train" : "test", "all", $"{i}.png"), pixels, 20, 20, 3);
        }
        return root;
    }
}
