using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GenerativeSharp.Evaluation;
using GenerativeSharp.Imaging;
using GenerativeSharp.Runs;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Cli.Commands;

/// <summary>
/// <c>gensharp quickstart</c>: the README's first command. Trains the reference VAE on the embedded
/// mnist-10k digits for a few minutes of CPU, evaluates it, and writes samples, an interpolation, a
/// loss curve and a short report. It never touches an existing run: it picks a fresh directory.
/// </summary>
internal static class QuickstartCommand
{
    private const string Data = "mnist-10k";
    private const int Epochs = 50;
    private const int ImportanceSamples = 100;

    public static Command Create(CliContext context)
    {
        var output = new Option<string?>("--out") { Description = "run directory (default runs/quickstart, or the next free runs/quickstart-N)" };
        var progress = new Option<string>("--progress") { Description = "auto, plain or none", DefaultValueFactory = _ => "auto" };
        var command = new Command("quickstart", "Train a small VAE on the embedded digits, then sample, interpolate and evaluate it.")
        {
            output, progress,
        };
        command.SetAction(parsed =>
        {
            string directory = parsed.GetValue(output) ?? FreeDirectory(Path.Combine("runs", "quickstart"));
            ProgressMode mode = TrainCommand.ParseProgress(parsed.GetValue(progress)!);
            return Run(directory, mode, context);
        });
        return command;
    }

    private static int Run(string directory, ProgressMode mode, CliContext context)
    {
        var clock = Stopwatch.StartNew();
        context.Out.WriteLine($"quickstart: a VAE (Kingma & Welling 2014) on the embedded {Data} digits, {Epochs} epochs on CPU -> {directory}");
        var request = new TrainingRequest { Model = "vae", Data = Data, Epochs = Epochs, Seed = 0, Output = directory, Progress = mode };
        TrainingResult training = TrainCommand.Execute(request, context);
        if (training.Outcome == TrainingOutcome.Interrupted) return ExitCodes.Interrupted;
        double trainSeconds = clock.Elapsed.TotalSeconds;

        EvaluationReport report = RunEvaluation.Evaluate(new EvaluationRequest { Directory = directory, ImportanceSamples = ImportanceSamples, Progress = mode }, context.Error);
        string interpolation = Path.Combine(directory, "interpolation.png");
        GensharpCli.Run(["interpolate", directory, "--from", "0", "--to", "1", "--out", interpolation], TextWriter.Null, context.Error);
        string curve = Path.Combine(directory, "loss.png");
        WriteLossCurve(Path.Combine(directory, Trainer.MetricsFileName), curve);
        string reportPath = Path.Combine(directory, "report.md");
        WriteReport(reportPath, directory, report, trainSeconds, clock.Elapsed.TotalSeconds);

        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"test NLL {report.NllNats:0.00} nats (importance-sampled estimate, k = {ImportanceSamples}); -ELBO {report.NegativeElboNats:0.00} nats; " +
            $"{clock.Elapsed.TotalSeconds:0} s in all"));
        context.Out.WriteLine($"samples:       {Path.Combine(directory, Trainer.SamplesFileName)}");
        context.Out.WriteLine($"interpolation: {interpolation}");
        context.Out.WriteLine($"loss curve:    {curve}");
        context.Out.WriteLine($"report:        {reportPath}");
        context.Out.WriteLine($"next: gensharp sample {directory} --count 100 --seed 7   |   gensharp eval {directory} --samples 500");
        return ExitCodes.Success;
    }

    private static string FreeDirectory(string preferred)
    {
        string candidate = preferred;
        for (int n = 2; Directory.Exists(candidate); n++) candidate = $"{preferred}-{n}";
        return candidate;
    }

    private static void WriteLossCurve(string metricsPath, string path)
    {
        var steps = new List<double>();
        var losses = new List<double>();
        var testSteps = new List<double>();
        var testNll = new List<double>();
        foreach (string line in File.ReadLines(metricsPath))
        {
            using var document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            double step = root.GetProperty("step").GetDouble();
            if (root.TryGetProperty("loss", out var loss) && loss.ValueKind == JsonValueKind.Number) { steps.Add(step); losses.Add(loss.GetDouble()); }
            if (root.TryGetProperty("nll_nats", out var nll) && nll.ValueKind == JsonValueKind.Number) { testSteps.Add(step); testNll.Add(nll.GetDouble()); }
        }
        Plot2D.Lines(path, "VAE on mnist-10k", "step", "nats per image",
            [new LineSeries("train loss (-ELBO)", steps.ToArray(), losses.ToArray()), new LineSeries("test -ELBO", testSteps.ToArray(), testNll.ToArray())]);
    }

    private static void WriteReport(string path, string directory, EvaluationReport report, double trainSeconds, double totalSeconds)
    {
        var text = new StringBuilder();
        text.AppendLine("# GenerativeSharp quick start");
        text.AppendLine();
        text.AppendLine($"A VAE (MLP 784-400-20, Bernoulli decoder, Adam 1e-3, batch 128, dynamic binarization) trained for {Epochs} epochs");
        text.AppendLine($"on the embedded {Data} digits (8,000 train / 2,000 test), seed 0, on CPU.");
        text.AppendLine();
        text.AppendLine("| quantity | value |");
        text.AppendLine("|---|---|");
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| test NLL, importance-sampled estimate (k = {ImportanceSamples}) | {report.NllNats:0.00} nats ({report.BitsPerDim:0.0000} bits/dim) |"));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| test -ELBO (a bound) | {report.NegativeElboNats:0.00} nats |"));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| training time | {trainSeconds:0} s |"));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| total time | {totalSeconds:0} s |"));
        text.AppendLine();
        text.AppendLine("Files: `samples.png` (64 samples), `interpolation.png` (test digit 0 to test digit 1 through the latent space),");
        text.AppendLine($"`loss.png`, `metrics.jsonl`, `checkpoint.safetensors`, and `tensorboard/` (`tensorboard --logdir {directory}`).");
        text.AppendLine();
        text.AppendLine($"Reproduce: `gensharp train vae --data {Data} --epochs {Epochs} --out {directory}` then `gensharp eval {directory} --samples {ImportanceSamples}`.");
        File.WriteAllText(path, text.ToString());
    }
}
