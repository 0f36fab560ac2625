using GenerativeSharp.Persistence;
using GenerativeSharp.Tests.Cli;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Distributed;

/// <summary>
/// Issue 19's proof of data parallelism: 2 MPI ranks sharing a global batch of 2B end, after 20 steps, with the weights
/// of 1 process taking batches of 2B, to 1e-5 relative (||theta_2 - theta_1|| / ||theta_1|| over all weights; the float32
/// sums differ only in order): the gradient all-reduce (VAE), each player's all-reduce (GAN), and the all-reduced ActNorm
/// initialisation (NICE), and contrastive divergence's statistics (RBM). The largest single-tensor difference (max |a - b| / max |b|) is printed, not bounded: a tensor
/// still near its zero initialisation has no scale to be relative to, and Adam divides a gradient by its own magnitude, so
/// an element whose gradient is pure rounding moves by up to the learning rate in either direction.
/// </summary>
public sealed class DataParallelEquivalenceTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    [MpiFact]
    public void VaeOnTwoRanksEqualsOneProcess() => AssertSameWeights("vae", "--set", "hidden=8");

    [MpiFact]
    public void GanOnTwoRanksEqualsOneProcess() => AssertSameWeights("gan");

    /// <summary>
    /// At ActNorm's data-dependent initialisation the gradient of its shift is zero in exact arithmetic (the outputs have
    /// zero mean), so its float value is rounding noise, which Adam's first step turns into a step of +-lr whatever the
    /// process count; the run therefore takes a learning rate (1e-7) at which 20 such steps stay below the tolerance, and
    /// what it compares is the initialisation all ranks agreed on with the single process's.
    /// </summary>
    [MpiFact]
    public void FlowWithActNormOnTwoRanksEqualsOneProcess() => AssertSameWeights("nice", "--lr", "1e-7");

    /// <summary>Contrastive divergence: the all-reduced statistics of the global batch, with the same Gibbs draws (SGD with momentum).</summary>
    [MpiFact]
    public void RbmOnTwoRanksEqualsOneProcess()
    {
        using var temp = new TempDirectory();
        AssertSameWeights(temp, "rbm", SyntheticImages.WriteIdxDirectory(temp.File("data")), "--set", "hidden=10");
    }

    private void AssertSameWeights(string model, params string[] settings)
    {
        using var temp = new TempDirectory();
        AssertSameWeights(temp, model, "toy:moons", settings);
    }

    private void AssertSameWeights(TempDirectory temp, string model, string data, params string[] settings)
    {
        string[] common = ["train", model, "--data", data, "--steps", "20", "--batch-size", "16", "--seed", "3",
            "--progress", "none", "--tensorboard", "off", .. settings];
        string parallel = temp.File("two-ranks"), single = temp.File("one-process");
        MpiJob.RunOk(2, [.. common, "--out", parallel, "--distributed", "mpi"]);
        CliOutcome alone = CliHost.Run([.. common, "--out", single]);
        Assert.True(alone.Code == 0, alone.Error);
        var (vector, tensor) = RelativeDifferences(Checkpoint(parallel), Checkpoint(single), output.WriteLine);
        output.WriteLine($"{model}: 2 ranks vs 1 process after 20 steps: ||diff|| / ||weights|| = {vector:E2}, worst tensor {tensor:E2}");
        Assert.True(vector <= Tolerance, $"{model}: 2 ranks differ from 1 process by {vector:E2} (relative) after 20 steps");
    }

    private static string Checkpoint(string run) => Path.Combine(run, GenerativeSharp.Training.Checkpoint.FileName);

    /// <summary>
    /// ||a - b|| / ||b|| over all the model's float tensors, and the largest max|a - b| / max|b| of one tensor; B is the reference.
    /// </summary>
    public static (double Vector, double Tensor) RelativeDifferences(string pathA, string pathB, Action<string>? report = null)
    {
        using SafeTensorsContent a = CheckpointFile.Load(pathA), b = CheckpointFile.Load(pathB);
        double worst = 0, squaredDifference = 0, squaredNorm = 0;
        int compared = 0;
        foreach (var (name, value) in b.Tensors)
        {
            if (name.StartsWith("_gensharp.", StringComparison.Ordinal) || !value.is_floating_point()) continue;
            using var scope = NewDisposeScope();
            Tensor reference = value.to(ScalarType.Float64), other = a.Tensors[name].to(ScalarType.Float64);
            double difference = (other - reference).abs().max().item<double>() / Math.Max(reference.abs().max().item<double>(), 1e-12);
            report?.Invoke($"  {name}: {difference:E2}");
            worst = Math.Max(worst, difference);
            squaredDifference += (other - reference).square().sum().item<double>();
            squaredNorm += reference.square().sum().item<double>();
            compared++;
        }
        Assert.True(compared > 0, "no weights were compared");
        return (Math.Sqrt(squaredDifference / squaredNorm), worst);
    }
}
