using System.Text.Json;
using GenerativeSharp.Persistence;
using TorchSharp;

namespace GenerativeSharp.Tests.Cli;

/// <summary>gensharp export and import (docs/interop.md): PyTorch names, weights alone, round trips, one-line mismatches.</summary>
public sealed class InteropCommandTests
{
    /// <summary>Each mapped model, tiny: the training flags and the names its export must hold.</summary>
    public static TheoryData<string, string, string[], string[]> Models => new()
    {
        { "vae", "mnist", ["--set", "hidden=8", "--set", "latent=3"], ["fc1.weight", "fc21.bias", "fc22.weight", "fc3.bias", "fc4.weight"] },
        { "made", "mnist", ["--set", "hidden=16"], ["_net.0.weight", "_net.0.mask", "_net.2.bias", "_net.2.mask"] },
        { "gated-pixelcnn", "mnist", ["--set", "channels=4", "--set", "layers=2"],
            ["_input._vstack_NxN.weight", "_input._hstack_1xN.weight", "_gated_layers.0._link.bias", "_gated_layers.0._hstack_residual.weight", "_head.1.weight", "_head.3.bias"] },
        { "realnvp", "toy:moons", ["--set", "layers=2", "--set", "hidden=8"], ["couplings.0.net.0.weight", "couplings.1.net.4.bias", "couplings.1.log_gain", "couplings.0.mask"] },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Export_writes_the_weights_alone_under_pytorch_names_and_import_gives_back_identical_samples(
        string model, string dataKind, string[] settings, string[] expectedNames)
    {
        using var directory = new TempDirectory();
        string data = dataKind == "mnist" ? SyntheticImages.WriteIdxDirectory(directory.File("data")) : dataKind;
        string run = directory.File("run"), file = directory.File("weights.safetensors"), test = directory.File("test.safetensors");
        CliOutcome train = CliHost.Run(["train", model, "--data", data, "--steps", "3", "--batch-size", "16", "--out", run, "--progress", "none", .. settings]);
        Assert.True(train.Code == 0, train.Error);

        CliOutcome export = CliHost.Run("export", run, "--out", file, "--test-out", test, "--limit", "20");
        Assert.True(export.Code == 0, export.Error);
        using (var content = SafeTensorsFile.Read(File.ReadAllBytes(file)))
        {
            foreach (string name in expectedNames) Assert.Contains(name, content.Tensors.Keys);
            Assert.DoesNotContain(content.Tensors.Keys, k => k.StartsWith("_gensharp", StringComparison.Ordinal) || k.Contains("optimizer") || k == "step");
            Assert.Equal(model, content.Metadata["gensharp_model"]);
            Assert.Equal(data, content.Metadata["gensharp_data"]);
            Assert.Contains("EventShape", content.Metadata["gensharp_options"]);
            Assert.False(content.Metadata.ContainsKey("file_sha256"));
            if (model == "vae")
            {
                Assert.Equal([8L, 144L], content.Tensors["fc1.weight"].shape);
                Assert.Equal([144L, 8L], content.Tensors["fc4.weight"].shape);
            }
        }
        using (var bits = SafeTensorsFile.Read(File.ReadAllBytes(test)))
        {
            Assert.Equal(20, bits.Tensors["x"].shape[0]);
            Assert.True(double.IsFinite(double.Parse(bits.Metadata["nll_nats"], System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(model == "vae", bits.Tensors.ContainsKey("eps"));
        }

        string imported = directory.File("imported");
        CliOutcome import = CliHost.Run("import", file, "--model", model, "--out", imported);
        Assert.True(import.Code == 0, import.Error);
        CliOutcome a = CliHost.Run("sample", run, "--count", "4", "--seed", "5", "--out", directory.File("a.png"));
        CliOutcome b = CliHost.Run("sample", imported, "--count", "4", "--seed", "5", "--out", directory.File("b.png"));
        Assert.True(a.Code == 0 && b.Code == 0, a.Error + b.Error);
        Assert.Equal(File.ReadAllBytes(directory.File("a.png")), File.ReadAllBytes(directory.File("b.png")));
        CliOutcome evalA = CliHost.Run("eval", run, "--json", "--limit", "20", "--samples", "2", "--quality-samples", "0", "--progress", "none");
        CliOutcome evalB = CliHost.Run("eval", imported, "--json", "--limit", "20", "--samples", "2", "--quality-samples", "0", "--progress", "none");
        Assert.True(evalA.Code == 0 && evalB.Code == 0, evalA.Error + evalB.Error);
        using var reportA = JsonDocument.Parse(evalA.LastLine);
        using var reportB = JsonDocument.Parse(evalB.LastLine);
        Assert.Equal(reportA.RootElement.GetProperty("nll_nats").GetDouble(), reportB.RootElement.GetProperty("nll_nats").GetDouble());
    }

    [Fact]
    public void A_file_that_does_not_fit_is_refused_in_one_line_naming_missing_unexpected_and_wrong_shape_weights()
    {
        using var directory = new TempDirectory();
        string data = SyntheticImages.WriteIdxDirectory(directory.File("data"));
        string run = directory.File("run"), file = directory.File("weights.safetensors"), broken = directory.File("broken.safetensors");
        Assert.Equal(0, CliHost.Run("train", "vae", "--data", data, "--steps", "1", "--out", run, "--set", "hidden=8", "--set", "latent=3", "--progress", "none").Code);
        Assert.Equal(0, CliHost.Run("export", run, "--out", file).Code);
        using (var content = SafeTensorsFile.Read(File.ReadAllBytes(file)))
        using (var extra = torch.zeros(2))
        {
            var changed = content.Tensors.Where(t => t.Key != "fc4.bias").ToDictionary(t => t.Key, t => t.Value);
            changed["decoder.extra"] = extra;
            using var stream = File.Create(broken);
            SafeTensorsFile.Write(stream, changed, new Dictionary<string, string>());
        }

        CliOutcome shapes = CliHost.Run("import", file, "--model", "vae", "--set", "hidden=9", "--set", "latent=3", "--data", data, "--out", directory.File("a"));
        CliAssertions.OneLineRefusal(shapes, "wrong shape fc1.bias [8] (expected [9]), fc1.weight [8, 144] (expected [9, 144])");
        Assert.Contains("fc4.weight [144, 8] (expected [144, 9])", shapes.Error);
        Assert.False(Directory.Exists(directory.File("a")));

        CliOutcome names = CliHost.Run("import", broken, "--model", "vae", "--set", "hidden=8", "--set", "latent=3", "--data", data, "--out", directory.File("b"));
        CliAssertions.OneLineRefusal(names, "missing fc4.bias; unexpected decoder.extra");

        CliOutcome noData = CliHost.Run("import", broken, "--model", "vae", "--out", directory.File("c"));
        CliAssertions.OneLineRefusal(noData, "give --data");
    }

    [Fact]
    public void Models_without_a_pytorch_mapping_and_damaged_pickled_files_are_refused_in_one_line()
    {
        using var directory = new TempDirectory();
        string data = SyntheticImages.WriteIdxDirectory(directory.File("data"));
        string run = directory.File("nade");
        Assert.Equal(0, CliHost.Run("train", "nade", "--data", data, "--steps", "1", "--set", "hidden=4", "--out", run, "--progress", "none").Code);
        CliAssertions.OneLineRefusal(CliHost.Run("export", run, "--out", directory.File("n.safetensors")),
            "nade has no PyTorch mapping; the models that have one: vae, made, gated-pixelcnn, realnvp");
        CliAssertions.OneLineRefusal(CliHost.Run("import", directory.File("w.safetensors"), "--model", "gan", "--out", directory.File("g")),
            "gan has no PyTorch mapping; the models that have one: vae, made, gated-pixelcnn, realnvp");
        File.WriteAllBytes(directory.File("w.pt"), [0x80, 0x02]);
        CliAssertions.OneLineRefusal(CliHost.Run("import", directory.File("w.pt"), "--model", "vae", "--data", data, "--out", directory.File("p")),
            "is not a state dict saved by torch.save");
        Assert.False(Directory.Exists(directory.File("p")));
        Assert.Equal(0, CliHost.Run("train", "vae", "--data", data, "--steps", "1", "--set", "network=conv", "--out", directory.File("conv"), "--progress", "none").Code);
        CliAssertions.OneLineRefusal(CliHost.Run("export", directory.File("conv"), "--out", directory.File("c.safetensors")),
            "only as an MLP of depth 1 with a Bernoulli decoder");
    }
}
