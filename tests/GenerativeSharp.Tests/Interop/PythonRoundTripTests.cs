using System.Diagnostics;
using System.Text.Json;
using GenerativeSharp.Tests.Cli;

namespace GenerativeSharp.Tests.Interop;

/// <summary>
/// bench/peers/interop.py against gensharp: a VAE trained by PyTorch (safetensors and torch.save's .pt) is imported, sampled
/// and evaluated; exported weights
/// of every mapped model give PyTorch's NLL equal to ours (1e-4 relative) on the exported test bits.
/// </summary>
public sealed class PythonRoundTripTests
{
    private static string Script => Path.Combine(RepositoryRoot.Path, "bench", "peers", "interop.py");

    [PythonTorchFact]
    public void A_vae_trained_by_pytorch_imports_samples_and_evaluates_and_every_export_agrees_with_pytorch()
    {
        using var directory = new TempDirectory();
        string data = SyntheticImages.WriteIdxDirectory(directory.File("data"));
        string trained = directory.File("torch-vae.safetensors"), run = directory.File("imported");
        Python("train-vae", "--data", data, "--steps", "20", "--batch-size", "32", "--hidden", "16", "--latent", "4", "--out", trained);

        CliOutcome import = CliHost.Run("import", trained, "--model", "vae", "--set", "hidden=16", "--set", "latent=4", "--data", data, "--out", run);
        Assert.True(import.Code == 0, import.Error);
        CliOutcome sample = CliHost.Run("sample", run, "--count", "4", "--out", directory.File("s.png"));
        Assert.True(sample.Code == 0, sample.Error);
        CliOutcome eval = CliHost.Run("eval", run, "--json", "--samples", "4", "--quality-samples", "0", "--progress", "none");
        Assert.True(eval.Code == 0, eval.Error);
        using (var report = JsonDocument.Parse(eval.LastLine))
            Assert.InRange(report.RootElement.GetProperty("nll_nats").GetDouble(), 1, 144 * Math.Log(2) * 2);
        Check(run, directory, "vae");

        // The same training saved by torch.save (.pt, read through TorchSharp.PyBridge) imports to the same model.
        string pickled = directory.File("torch-vae.pt"), fromPickle = directory.File("imported-pt");
        Python("train-vae", "--data", data, "--steps", "20", "--batch-size", "32", "--hidden", "16", "--latent", "4", "--out", pickled);
        CliOutcome importPt = CliHost.Run("import", pickled, "--model", "vae", "--set", "hidden=16", "--set", "latent=4", "--data", data, "--out", fromPickle);
        Assert.True(importPt.Code == 0, importPt.Error);
        Assert.Equal(0, CliHost.Run("sample", fromPickle, "--count", "4", "--out", directory.File("p.png")).Code);
        Assert.Equal(File.ReadAllBytes(directory.File("s.png")), File.ReadAllBytes(directory.File("p.png")));

        foreach (var (model, spec, settings) in new (string, string, string[])[]
        {
            ("made", data, ["--set", "hidden=16"]),
            ("gated-pixelcnn", data, ["--set", "channels=4", "--set", "layers=2"]),
            ("realnvp", "toy:moons", ["--set", "layers=2", "--set", "hidden=8"]),
        })
        {
            string own = directory.File(model);
            CliOutcome train = CliHost.Run(["train", model, "--data", spec, "--steps", "4", "--batch-size", "16", "--out", own, "--progress", "none", .. settings]);
            Assert.True(train.Code == 0, train.Error);
            Check(own, directory, model);
        }
    }

    /// <summary>Exports <paramref name="run"/> with its test bits and runs interop.py check on them.</summary>
    private static void Check(string run, TempDirectory directory, string model)
    {
        string weights = directory.File($"{model}-w.safetensors"), test = directory.File($"{model}-t.safetensors");
        CliOutcome export = CliHost.Run("export", run, "--out", weights, "--test-out", test, "--limit", "64");
        Assert.True(export.Code == 0, export.Error);
        string output = Python("check", weights, test);
        using var line = JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]);
        Assert.Equal(model, line.RootElement.GetProperty("model").GetString());
        Assert.True(line.RootElement.GetProperty("relative_difference").GetDouble() <= 1e-4, output);
    }

    private static string Python(params string[] args)
    {
        var start = new ProcessStartInfo(PythonTorchFactAttribute.Python, [Script, .. args])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(300_000), "interop.py did not finish in 5 minutes");
        Assert.True(process.ExitCode == 0, $"interop.py {string.Join(' ', args)} exited {process.ExitCode}: {output} {error.Result}");
        return output;
    }
}
