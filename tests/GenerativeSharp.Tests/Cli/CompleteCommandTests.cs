using GenerativeSharp.Imaging;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Cli;

public sealed class CompleteCommandTests
{
    private static string TrainTiny(TempDirectory directory, string model, params string[] settings)
    {
        string data = SyntheticImages.WriteIdxDirectory(directory.File("data"));
        string run = directory.File(model);
        CliOutcome train = CliHost.Run([.. new[] { "train", model, "--data", data, "--steps", "6", "--out", run, "--progress", "none" }, .. settings]);
        Assert.True(train.Code == 0, train.Error);
        return run;
    }

    [Fact]
    public void Test_images_with_a_generated_hole_give_a_figure()
    {
        using var directory = new TempDirectory();
        string run = TrainTiny(directory, "gated-pixelcnn", "--set", "channels=4", "--set", "layers=2");
        string figure = directory.File("watermark.png");
        CliOutcome complete = CliHost.Run("complete", run, "--hole", "watermark", "--test", "3", "--count", "2", "--out", figure);
        Assert.True(complete.Code == 0, complete.Error);
        Assert.Contains("known pixels unchanged", complete.Out);
        Assert.True(File.Exists(figure));
        Assert.Equal(0, CliHost.Run("complete", run, "--test", "2", "--count", "1").Code);   // default hole and file
        Assert.True(File.Exists(Path.Combine(run, "completion-lower-half.png")));
    }

    [Fact]
    public void A_users_image_keeps_every_known_pixel_exactly()
    {
        using var directory = new TempDirectory();
        string run = TrainTiny(directory, "made", "--set", "hidden=16");
        int size = SyntheticImages.Size;
        var gray = new byte[size * size];
        var maskBytes = new byte[size * size];
        for (int i = 0; i < gray.Length; i++)
        {
            gray[i] = (byte)(i * 37 % 256);
            maskBytes[i] = i / size >= 7 && i % size >= 4 ? (byte)255 : (byte)0;     // a block in the lower right is missing
        }
        string image = directory.File("in.png"), mask = directory.File("mask.png"), output = directory.File("out.png");
        PngFile.Write(image, gray, size, size, channels: 1);
        PngFile.Write(mask, maskBytes, size, size, channels: 1);
        CliOutcome complete = CliHost.Run("complete", run, "--image", image, "--mask", mask, "--count", "1", "--out", output, "--seed", "3");
        Assert.True(complete.Code == 0, complete.Error);
        using var result = GrayImageFile.Read(output);
        using var input = GrayImageFile.Read(image);
        using var known = GrayImageFile.Read(mask).lt(0.5);
        Assert.True(result.masked_select(known).equal(input.masked_select(known)).all().item<bool>());
        using var filled = result.masked_select(known.logical_not());
        Assert.True(filled.eq(0).logical_or(filled.eq(1)).all().item<bool>(), "a binary model fills in black or white pixels");
    }

    [Fact]
    public void Bad_requests_end_with_one_line_and_exit_code_2()
    {
        using var directory = new TempDirectory();
        string run = TrainTiny(directory, "vae", "--set", "hidden=8");
        CliOutcome notAutoregressive = CliHost.Run("complete", run);
        Assert.Equal(2, notAutoregressive.Code);
        Assert.Contains("cannot complete images", notAutoregressive.Error);

        string made = TrainTiny(directory, "made", "--set", "hidden=8");
        string small = directory.File("small.png");
        PngFile.Write(small, new byte[25], 5, 5, channels: 1);
        CliOutcome wrongSize = CliHost.Run("complete", made, "--image", small, "--mask", small);
        Assert.Equal(2, wrongSize.Code);
        Assert.Contains("the model's images are 12x12", wrongSize.Error);
        Assert.Equal(2, CliHost.Run("complete", made, "--image", small).Code);
        CliOutcome badHole = CliHost.Run("complete", made, "--hole", "moon");
        Assert.Equal(2, badHole.Code);
        Assert.Contains("expected lower-half", badHole.Error);
    }

    [Fact]
    public void A_class_conditional_gated_pixelcnn_trains_on_labels_evaluates_its_marginal_and_samples_a_class()
    {
        using var directory = new TempDirectory();
        string run = TrainTiny(directory, "gated-pixelcnn", "--set", "channels=4", "--set", "layers=2", "--set", "classes=4");
        CliOutcome eval = CliHost.Run("eval", run, "--json", "--progress", "none");
        Assert.True(eval.Code == 0, eval.Error);
        using var report = System.Text.Json.JsonDocument.Parse(eval.LastLine);
        Assert.Equal("exact", report.RootElement.GetProperty("nll_kind").GetString());
        Assert.True(double.IsFinite(report.RootElement.GetProperty("nll_nats").GetDouble()));
        string picture = directory.File("class2.png");
        CliOutcome sample = CliHost.Run("sample", run, "--label", "2", "--count", "4", "--out", picture);
        Assert.True(sample.Code == 0, sample.Error);
        Assert.True(File.Exists(picture));
        Assert.Equal(2, CliHost.Run("sample", run, "--label", "4").Code);
        CliOutcome completion = CliHost.Run("complete", run, "--test", "2", "--count", "1");   // test labels condition the completion
        Assert.True(completion.Code == 0, completion.Error);

        string unconditional = TrainTiny(directory, "made", "--set", "hidden=8");
        CliOutcome refused = CliHost.Run("sample", unconditional, "--label", "1");
        Assert.Equal(2, refused.Code);
        Assert.Contains("not class-conditional", refused.Error);
    }

    [Fact]
    public void A_resumed_gated_pixelcnn_run_is_bit_identical_to_an_uninterrupted_one()
    {
        using var directory = new TempDirectory();
        string data = SyntheticImages.WriteIdxDirectory(directory.File("data"));
        string straight = directory.File("a"), split = directory.File("b");
        string[] common = ["--data", data, "--set", "channels=4", "--set", "layers=2", "--set", "likelihood=logisticmixture", "--progress", "none"];
        Assert.Equal(0, CliHost.Run([.. new[] { "train", "gated-pixelcnn", "--steps", "8", "--out", straight }, .. common]).Code);
        Assert.Equal(0, CliHost.Run([.. new[] { "train", "gated-pixelcnn", "--steps", "3", "--out", split }, .. common]).Code);
        CliOutcome resumed = CliHost.Run("train", "gated-pixelcnn", "--data", data, "--steps", "8", "--out", split, "--resume", "--progress", "none");
        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "checkpoint.safetensors")), File.ReadAllBytes(Path.Combine(split, "checkpoint.safetensors")));
    }
}
