using System.Globalization;
using System.Text.Json;
using GenerativeSharp.Data;
using GenerativeSharp.Imaging;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Variational;
using GenerativeSharp.Persistence;
using GenerativeSharp.Runs;
using GenerativeSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Interop;

/// <summary>What <see cref="WeightExport.Export"/> wrote.</summary>
/// <param name="Tensors">weights written</param>
/// <param name="Module">the PyTorch module the names follow</param>
/// <param name="TestExamples">examples in the test file (0 without one)</param>
/// <param name="NllNats">our mean NLL on the test file's examples (null without one)</param>
/// <param name="NllKind">"exact", or for a VAE "negative_elbo_fixed_eps"</param>
public sealed record ExportResult(int Tensors, string Module, long TestExamples, double? NllNats, string? NllKind);

/// <summary>
/// <c>gensharp export</c>: a run's weights alone (no optimizer, no RNG state) under the names of the matching PyTorch module
/// (<see cref="PyTorchNaming"/>), in a plain safetensors file (Hugging Face's format) whose <c>__metadata__</c> carries the
/// recipe, its options JSON, the event shape and the data. Optionally a second file holds the test examples exactly as
/// <c>gensharp eval</c> scores them (binarized with the fixed seed of <see cref="Binarization.Static"/> where the run
/// binarizes), and our NLL on them, so bench/peers/interop.py can compare PyTorch's number with ours on the same bits.
/// For a VAE, whose eval numbers are stochastic, the compared quantity is the negative ELBO with one exported noise draw
/// eps ~ N(0, I) per example (z = mu + sigma eps), which is deterministic given eps (Kingma and Welling 2014, eq. 10).
/// </summary>
public static class WeightExport
{
    /// <summary>Metadata keys of an exported file.</summary>
    public const string ModelKey = "gensharp_model", OptionsKey = "gensharp_options", EventShapeKey = "gensharp_event_shape",
        DataKey = "gensharp_data", ModuleKey = "pytorch_module";

    /// <summary>Exports the run in <paramref name="directory"/> to <paramref name="output"/>, and its test set to <paramref name="testOutput"/> when given.</summary>
    /// <exception cref="InvalidInputException">The run cannot be read, the model has no PyTorch mapping, or a path is bad.</exception>
    public static ExportResult Export(string directory, string output, string? testOutput, int? limit, string? dataRoot, TextWriter messages)
    {
        ArgumentException.ThrowIfNullOrEmpty(output);
        CheckPath(output, "--out");
        if (testOutput is not null) CheckPath(testOutput, "--test-out");
        using var scope = NewDisposeScope();
        using LoadedCheckpoint checkpoint = Checkpoint.Load(directory, CPU);
        using var model = checkpoint.Model;
        var (module, refusal) = PyTorchNaming.Describe(model);
        if (refusal is not null) throw new InvalidInputException(refusal);
        Dictionary<string, Tensor> weights = PyTorchNaming.Export(model);
        var metadata = new Dictionary<string, string>
        {
            [ModelKey] = model.Recipe.Info.Name,
            [OptionsKey] = model.OptionsJson,
            [EventShapeKey] = JsonSerializer.Serialize(model.Model.EventShape),
            [DataKey] = checkpoint.State.Data,
            ["gensharp_binarize"] = checkpoint.State.Binarize.ToString().ToLowerInvariant(),
            ["gensharp_step"] = checkpoint.State.Step.ToString(CultureInfo.InvariantCulture),
            [ModuleKey] = module!,
        };
        if (checkpoint.State.ImageSize is int size) metadata["gensharp_image_size"] = size.ToString(CultureInfo.InvariantCulture);
        Write(output, weights, metadata);
        if (testOutput is null) return new ExportResult(weights.Count, module!, 0, null, null);

        using DataSplits splits = TrainingRun.LoadData(checkpoint.State, dataRoot, messages);
        long count = Math.Min(limit ?? long.MaxValue, splits.Test.Count);
        Tensor subset = splits.Test.Examples.narrow(0, 0, count);
        Tensor x = checkpoint.State.Binarize == BinarizationMode.None ? subset.to(float32).clone() : Binarization.Static(subset);
        var test = new Dictionary<string, Tensor> { ["x"] = x };
        Tensor? eps = null;
        if (model.Module is Vae vae)
        {
            using var generator = new Generator((ulong)Trainer.EvaluationSeed);
            eps = randn([count, vae.Options.Latent], generator: generator);
            test["eps"] = eps;
        }
        double nll = MeanNll(model.Model, x, eps, out string kind);
        var testMetadata = new Dictionary<string, string>(metadata)
        {
            ["examples"] = count.ToString(CultureInfo.InvariantCulture),
            ["nll_nats"] = nll.ToString("R", CultureInfo.InvariantCulture),
            ["nll_kind"] = kind,
            ["binarization"] = checkpoint.State.Binarize == BinarizationMode.None ? "none"
                : $"static: u ~ U[0, 1) from torch.Generator seeded {Binarization.StaticSeed}, x = (u < intensity)",
        };
        Write(testOutput, test, testMetadata);
        return new ExportResult(weights.Count, module!, count, nll, kind);
    }

    /// <summary>
    /// Mean -log p(x) over <paramref name="x"/> in float64 (exact models), or for a VAE the mean negative ELBO with
    /// z = mu + exp(logvar / 2) eps: -log p(x | z) + KL(q(z | x) || N(0, I)).
    /// </summary>
    public static double MeanNll(IGenerativeModel model, Tensor x, Tensor? eps, out string kind)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double total = 0;
        const long chunk = 500;
        for (long start = 0; start < x.shape[0]; start += chunk)
        {
            using var inner = NewDisposeScope();
            long n = Math.Min(chunk, x.shape[0] - start);
            Tensor batch = x.narrow(0, start, n);
            Tensor nll = model switch
            {
                Vae vae => NegativeElbo(vae, batch, eps!.narrow(0, start, n)),
                IDensityModel density => -density.LogProb(batch),
                _ => throw new InvalidInputException("this model has no NLL to compare."),
            };
            total += nll.to(float64).sum().item<double>();
        }
        kind = model is Vae ? "negative_elbo_fixed_eps" : "exact";
        return total / x.shape[0];
    }

    private static Tensor NegativeElbo(Vae vae, Tensor x, Tensor eps)
    {
        var q = vae.Posterior(x);
        Tensor z = q.Mu + (0.5 * q.LogVar).exp() * eps;                       // [B, L]
        return q.KlToStandardNormal() - vae.LogLikelihood(x, z);            // [B]
    }

    private static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        try
        {
            AtomicFile.Write(path, stream => SafeTensorsFile.Write(stream, tensors, metadata));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"cannot write {path}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    private static void CheckPath(string path, string option)
    {
        if (!path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
            throw new InvalidInputException($"{option} {path}: expected a .safetensors file name.");
        if (Directory.Exists(path)) throw new InvalidInputException($"{option} {path} is a directory; give a file name.");
    }
}
