using System.Text.Json;

namespace GenerativeSharp.Tests.Cli;

/// <summary>
/// Paired folders (<c>--data A --target B</c>) given to models that do not translate images: they
/// are accepted, trained on A alone with one line saying the targets are ignored, and the run keeps
/// the pairing (for evaluation and for resuming on the same data).
/// </summary>
public sealed class PairedDataCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("vae")]
    [InlineData("realnvp")]
    public void Unpaired_models_train_on_the_inputs_and_say_they_ignore_the_targets(string model)
    {
        string inputs = WriteStyle("google", ground: 30);
        string targets = WriteStyle("twitter", ground: 200);
        string run = _dir.File($"{model}-paired");
        string[] small = model == "vae" ? ["--set", "hidden=16", "--set", "latent=4"] : ["--set", "hidden=8"];

        CliOutcome paired = CliHost.Run([.. new[] { "train", model, "--data", inputs, "--target", targets, "--image-size", "16",
            "--steps", "2", "--batch-size", "4", "--out", run, "--progress", "none" }, .. small]);

        Assert.True(paired.Code == 0, paired.Error);
        Assert.Contains($"{model} does not translate images: it trains on the --data images alone and ignores their paired targets", paired.Error);
        Assert.Contains("(12 examples, colour", paired.Error);
        Assert.Contains("[3, 16, 16]", paired.Error);
        string metrics = File.ReadAllLines(Path.Combine(run, "metrics.jsonl"))[^1];
        Assert.True(JsonDocument.Parse(metrics).RootElement.TryGetProperty("nll_nats", out _), metrics);

        CliOutcome unpaired = CliHost.Run([.. new[] { "train", model, "--data", inputs, "--image-size", "16",
            "--steps", "2", "--batch-size", "4", "--out", _dir.File($"{model}-alone"), "--progress", "none" }, .. small]);
        Assert.True(unpaired.Code == 0, unpaired.Error);
        Assert.DoesNotContain("paired targets", unpaired.Error);
        string alone = File.ReadAllLines(Path.Combine(_dir.File($"{model}-alone"), "metrics.jsonl"))[^1];
        Assert.Equal(Field(alone, "nll_nats"), Field(metrics, "nll_nats"));            // the targets changed nothing in training

        CliOutcome eval = CliHost.Run("eval", run, "--json");
        Assert.True(eval.Code == 0, eval.Error);
    }

    private static double Field(string json, string name) => JsonDocument.Parse(json).RootElement.GetProperty(name).GetDouble();

    private string WriteStyle(string name, int ground) => PairedColourFolders.WriteStyle(_dir.File(name), ground);
}
