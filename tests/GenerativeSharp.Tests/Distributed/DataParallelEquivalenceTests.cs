using GenerativeSharp.Persistence;
using GenerativeSharp.Tests.Cli;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Distributed;

/// <summary>
/// Issue 19's proof of data parallelism: 2 MPI ranks sharing a global batch of 2B end, after 20 steps, with the weights
/// of 1 process taking batches of 2B, to 1e-5 relative (the float32 sums differ only in order): the gradient all-reduce
/// (VAE), each player's all-reduce (GAN), and the all-reduced ActNorm initialisation (NICE) all hold.
/// </summary>
public sealed class DataParallelEquivalenceTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    [MpiFact]
    public void VaeOnTwoRanksEqualsOneProcess() => AssertSameWeights("vae", "--set", "hidden=8");

    [MpiFact]
    public void GanOnTwoRanksEqualsOneProcess() => AssertSameWeights("gan");

    [MpiFact]
    public void FlowWithActNormOnTwoRanksEqualsOneProcess() => AssertSameWeights("nice");

    private void AssertSameWeights(string model, params string[] settings)
    {
        using var temp = new TempDirectory();
        string[] common = ["train", model, "--data", "toy:moons", "--steps", "20", "--batch-size", "16", "--seed", "3",
            "--progress", "none", "--tensorboard", "off", .. settings];
        string parallel = temp.File("two-ranks"), single = temp.File("one-process");
        MpiJob.RunOk(2, [.. common, "--out", parallel, "--distributed", "mpi"]);
        CliOutcome alone = CliHost.Run([.. common, "--out", single]);
        Assert.True(alone.Code == 0, alone.Error);
        double worst = MaxRelativeDifference(Checkpoint(parallel), Checkpoint(single));
        output.WriteLine($"{model}: max relative weight difference, 2 ranks vs 1 process after 20 steps: {worst:E2}");
        Assert.True(worst <= Tolerance, $"{model}: 2 ranks differ from 1 process by {worst:E2} (relative) after 20 steps");
    }

    private static string Checkpoint(string run) => Path.Combine(run, GenerativeSharp.Training.Checkpoint.FileName);

    /// <summary>max over the model's float tensors of max|a - b| / max|b|.</summary>
    public static double MaxRelativeDifference(string pathA, string pathB)
    {
        using SafeTensorsContent a = CheckpointFile.Load(pathA), b = CheckpointFile.Load(pathB);
        double worst = 0;
        int compared = 0;
        foreach (var (name, value) in b.Tensors)
        {
            if (name.StartsWith("_gensharp.", StringComparison.Ordinal) || !value.is_floating_point()) continue;
            using var scope = NewDisposeScope();
            Tensor other = a.Tensors[name];
            double scale = Math.Max(value.abs().max().item<float>(), 1e-12);
            worst = Math.Max(worst, (other - value).abs().max().item<float>() / scale);
            compared++;
        }
        Assert.True(compared > 0, "no weights were compared");
        return worst;
    }
}
