using System.Text.Json;
using GenerativeSharp.Imaging;

namespace GenerativeSharp.Tests.Cli;

/// <summary>pix2pix from the command line: training on paired folders, resuming, <c>translate</c>, <c>eval</c>, and the refusals.</summary>
public sealed class TranslateCommandTests : IDisposable
{
    private static readonly string[] Small = ["--set", "ngf=8", "--set", "ndf=8", "--image-size", "32", "--batch-size", "4", "--progress", "none"];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Train(string name, int steps, params string[] extra)
    {
        string run = _dir.File(name);
        CliOutcome trained = CliHost.Run([.. new[] { "train", "pix2pix", "--data", Style("google", 30), "--target", Style("twitter", 200),
            "--steps", steps.ToString(), "--out", run }, .. Small, .. extra]);
        Assert.True(trained.Code == 0, trained.Error);
        return run;
    }

    [Fact]
    public void Pix2pix_trains_on_paired_folders_and_translates_a_png_of_another_size_and_the_test_pairs()
    {
        string run = Train("run", 3);
        Assert.True(File.Exists(Path.Combine(run, "samples.png")));

        string image = _dir.File("odd.png");
        var pixels = new byte[50 * 30 * 3];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i * 7 % 251);
        PngFile.Write(image, pixels, 50, 30, 3);
        string output = _dir.File("out.png");
        CliOutcome one = CliHost.Run("translate", run, "--image", image, "--out", output);
        Assert.True(one.Code == 0, one.Error);
        Assert.Equal((32, 32), CliAssertions.PngSize(output));

        string grid = _dir.File("grid.png");
        CliOutcome figure = CliHost.Run("translate", run, "--test", "3", "--out", grid);
        Assert.True(figure.Code == 0, figure.Error);
        Assert.Equal((3 * 64 + 4 * 2, 3 * 64 + 4 * 2), CliAssertions.PngSize(grid));                    // 3 rows of input | output | truth, scale 2, padding 2

        CliOutcome eval = CliHost.Run("eval", run, "--json");
        Assert.True(eval.Code == 0, eval.Error);
        JsonElement json = JsonDocument.Parse(eval.LastLine).RootElement;
        foreach (string field in new[] { "translation_l1", "translation_psnr", "translation_ssim", "identity_l1", "identity_psnr", "identity_ssim" })
            Assert.True(json.GetProperty(field).GetDouble() is double v && double.IsFinite(v), field);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("translation_fid").ValueKind);               // no feature network fits these folders
        Assert.Equal(JsonValueKind.Null, json.GetProperty("identity_fid").ValueKind);
        Assert.Equal("a2b", json.GetProperty("direction").GetString());
        Assert.Equal(4, json.GetProperty("test_pairs").GetInt64());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("nll_kind").ValueKind);                      // no likelihood, as for GANs
        Assert.Contains("no feature network fits the targets", eval.Error);
    }

    [Fact]
    public void A_resumed_pix2pix_run_is_bit_identical_to_an_uninterrupted_one()
    {
        string straight = Train("straight", 4);
        string split = Train("split", 2);
        CliOutcome resumed = CliHost.Run("train", "pix2pix", "--data", Style("google", 30), "--target", Style("twitter", 200), "--image-size", "32",
            "--steps", "4", "--out", split, "--resume", "--progress", "none");
        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "checkpoint.safetensors")), File.ReadAllBytes(Path.Combine(split, "checkpoint.safetensors")));
    }

    [Fact]
    public void Unpaired_data_a_run_that_does_not_translate_and_a_file_that_is_not_an_image_are_refused_in_one_line()
    {
        CliOutcome unpaired = CliHost.Run([.. new[] { "train", "pix2pix", "--data", Style("google", 30), "--steps", "1", "--out", _dir.File("unpaired") }, .. Small]);
        CliAssertions.OneLineRefusal(unpaired, "pix2pix translates paired images: give --data DIR --target DIR2");

        string vae = _dir.File("vae");
        Assert.Equal(0, CliHost.Run("train", "vae", "--data", "toy:moons", "--steps", "2", "--set", "hidden=8", "--out", vae, "--progress", "none").Code);
        CliAssertions.OneLineRefusal(CliHost.Run("translate", vae, "--test", "2", "--out", _dir.File("x.png")), "does not translate images");

        string run = Train("run", 1);
        string text = _dir.File("notes.png");
        File.WriteAllText(text, "not an image at all");
        CliAssertions.OneLineRefusal(CliHost.Run("translate", run, "--image", text, "--out", _dir.File("y.png")), "not a PNG or JPEG image");
        CliAssertions.OneLineRefusal(CliHost.Run("sample", run), "pix2pix translates an input image");
    }

    [Fact]
    public void Pix2pix_learns_edges_to_images_on_grey_data_of_a_side_that_is_not_a_power_of_two()
    {
        string idx = SyntheticImages.WriteIdxDirectory(_dir.File("idx"), trainCount: 32, testCount: 8);
        string run = _dir.File("edges");
        CliOutcome trained = CliHost.Run("train", "pix2pix", "--data", "edges:" + idx, "--steps", "2", "--batch-size", "4",
            "--set", "ngf=8", "--set", "ndf=8", "--out", run, "--progress", "none");
        Assert.True(trained.Code == 0, trained.Error);
        Assert.Contains("edge maps (Canny", trained.Out + trained.Error);

        string grid = _dir.File("edges-grid.png");
        CliOutcome figure = CliHost.Run("translate", run, "--test", "2", "--out", grid);
        Assert.True(figure.Code == 0, figure.Error);
        Assert.Equal((3 * 24 + 4 * 2, 2 * 24 + 3 * 2), CliAssertions.PngSize(grid));                    // 12 px images at scale 2

        CliOutcome eval = CliHost.Run("eval", run, "--json");
        Assert.True(eval.Code == 0, eval.Error);
        JsonElement json = JsonDocument.Parse(eval.LastLine).RootElement;
        Assert.Equal(8, json.GetProperty("test_pairs").GetInt64());
        Assert.True(json.GetProperty("identity_l1").GetDouble() > 0);                                   // the edge map as the answer
        Assert.True(double.IsFinite(json.GetProperty("translation_ssim").GetDouble()));
    }

    [Fact]
    public void Bench_times_pix2pix_on_paired_colour_images()
    {
        CliOutcome bench = CliHost.Run("bench", "pix2pix", "--json", "--repeats", "2");
        Assert.True(bench.Code == 0, bench.Error);
        JsonElement row = JsonDocument.Parse(bench.LastLine).RootElement.EnumerateArray().Single();
        Assert.Equal("pix2pix", row.GetProperty("recipe").GetString());
        Assert.True(row.GetProperty("step_ms").GetDouble() > 0);
        Assert.True(row.GetProperty("sample_ms_per_item").GetDouble() > 0);
    }

    private string Style(string name, int ground) => PairedColourFolders.WriteStyle(_dir.File(name), ground);
}
