using GenerativeSharp.Data;
using GenerativeSharp.Evaluation;
using GenerativeSharp.Evaluation.Translation;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Boltzmann;
using GenerativeSharp.Models.Diffusion.Samplers;
using GenerativeSharp.Runtime;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Runs;

/// <summary>
/// Evaluating a run as one library call: the likelihood by the model's capability (exact, bound,
/// estimate; AIS from two base models for an RBM), the Parzen estimate for models without one, and
/// the sample-quality metrics where a feature network fits the data, each skipped with a note when
/// drawing its samples would take longer than the training did. The CLI's <c>eval</c> only parses
/// its flags into an <see cref="EvaluationRequest"/> and prints the report.
/// </summary>
public static class RunEvaluation
{
    /// <summary>
    /// Loads the run's checkpoint and evaluates it on a split of its data (or of request.Data):
    /// <paramref name="messages"/> gets the notes of metrics that were skipped.
    /// </summary>
    /// <exception cref="InvalidInputException">A value is out of range, the run cannot be read, or its data does not fit the model.</exception>
    public static EvaluationReport Evaluate(EvaluationRequest request, TextWriter messages)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Check();
        string dir = request.Directory, splitName = request.Split.ToLowerInvariant();
        string? dataSpec = request.Data, dataRoot = request.DataRoot;
        int k = request.ImportanceSamples;
        int? limit = request.Limit;
        ProgressMode progressMode = request.Progress;
        torch.Device target = TorchRuntime.ResolveDevice(request.Device);
        using LoadedCheckpoint checkpoint = Checkpoint.Load(dir, target);
        using var model = checkpoint.Model;
        string spec = dataSpec ?? checkpoint.State.Data;
        using DataSplits splits = TrainingRun.LoadData(checkpoint.State, dataRoot, messages, spec == checkpoint.State.Data ? null : spec);
        if (model.Model is IConditionalSampler { Context: ContextKind.PairedImage } translator)
            return EvaluateTranslation(translator, model.Recipe.Info.Name, spec, splits, splitName, limit, target, messages);
        if (!splits.EventShape.SequenceEqual(model.Model.EventShape))
            throw new InvalidInputException($"{spec} has examples of shape [{string.Join(", ", splits.EventShape)}] " +
                $"but the model expects [{string.Join(", ", model.Model.EventShape)}].");
        TensorDataset chosen = splitName == "test" ? splits.Test : splits.Train;
        long count = Math.Min(limit ?? long.MaxValue, chosen.Count);
        using torch.Tensor subset = chosen.Examples.narrow(0, 0, count);
        using torch.Tensor prepared = checkpoint.State.Binarize == BinarizationMode.None ? subset.clone() : Binarization.Static(subset);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        PartitionFunction? partition = request.Likelihood && model.Module is Rbm rbm
            ? EstimatePartition(rbm, splits.Train, checkpoint.State.Binarize, request, progressMode)
            : null;
        IDiffusionSampler? sampler = DiffusionSamplerChoice.Parse(model, request.Sampler, request.SamplerSteps, request.SamplerEta);
        IDiffusionModel? diffusion = model.Model as IDiffusionModel;
        IGenerativeModel drawer = diffusion is not null && sampler is not null ? new DiffusionSamplerView(diffusion, sampler) : model.Model;   // what quality samples come from
        EvaluationReport report = request.Likelihood
            ? LikelihoodEvaluator.Evaluate(model.Model, prepared, model.Recipe.Info.Name, spec, splitName,
                k, Trainer.EvaluationSeed, target, splits.Toy, ProgressReporter.ForConsole(progressMode), partition, request.BoundTimesteps)
            : new EvaluationReport { Model = model.Recipe.Info.Name, Data = spec, Split = splitName, Examples = count };
        double? trainingSeconds = MetricsLog.TrainingSeconds(Path.Combine(dir, Trainer.MetricsFileName));
        var notes = new List<string>();
        int Affordable(int? asked, int fallback, string metric, string option)
        {
            if (asked is int n) return n;
            string? note = SamplingBudget.SkipNote(drawer, fallback, trainingSeconds, metric, option, target);
            if (note is null) return fallback;
            notes.Add(note);
            messages.WriteLine(note);
            return 0;
        }
        bool hasLikelihood = model.Model is IDensityModel or ILowerBoundModel or IEnergyModel or IVariationalBoundModel;
        double? reconstruction = null;
        if (model.Module is Models.Variational.DfcVae dfc)
        {
            notes.Add(Models.Variational.DfcVae.NoLikelihoodNote);
            messages.WriteLine(Models.Variational.DfcVae.NoLikelihoodNote);
            reconstruction = ReconstructionError.MeanSquaredPerPixel(dfc, prepared, target);
        }
        int parzenCount = hasLikelihood ? 0 : Affordable(request.ParzenSamples, 10_000, "Parzen-window estimate", "--parzen-samples");
        ParzenResult? parzen = parzenCount > 0 ? ParzenEstimate(model.Model, subset, parzenCount, target, progressMode) : null;
        if (SampleMetrics.MissingQualityNote(splits) is string missing)
        {
            notes.Add(missing);
            messages.WriteLine(missing);
        }
        bool hasQualityMetric = SampleMetrics.HasQuality(splits) || SampleMetrics.HasCoverage(splits);
        int quality = hasQualityMetric ? Affordable(request.QualitySamples, 10_000, "sample-quality metrics", "--quality-samples") : 0;
        return report with
        {
            Parzen = parzen,
            SampleQuality = SampleMetrics.Quality(drawer, splits, subset, quality, Trainer.EvaluationSeed, target, ProgressReporter.ForConsole(progressMode)),
            ModeCoverage = SampleMetrics.Coverage(drawer, splits, quality, Trainer.EvaluationSeed, target),
            Sampler = diffusion is null || quality == 0 ? null : DiffusionSamplerView.Describe(sampler ?? diffusion.DefaultSampler, diffusion.Schedule),
            ReconstructionMsePerPixel = reconstruction,
            Notes = notes,
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>
    /// An image-to-image model (pix2pix, cyclegan): no likelihood (nll_kind null, as for GANs), no unconditional samples; its
    /// outputs on the split's pairs against the true targets, and the identity baseline (<see cref="TranslationEvaluation"/>).
    /// </summary>
    private static EvaluationReport EvaluateTranslation(IConditionalSampler model, string modelName, string spec, DataSplits splits,
        string splitName, int? limit, torch.Device device, TextWriter messages)
    {
        TensorDataset chosen = splitName == "test" ? splits.Test : splits.Train;
        if (chosen.Targets is null)
            throw new InvalidInputException($"{modelName} translates paired images, but {spec} is not paired: give the run's own data or paired data (--target).");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TranslationReport translation = TranslationEvaluation.Evaluate(model, splits, chosen, Math.Min(limit ?? long.MaxValue, chosen.Count),
            Trainer.EvaluationSeed, device);
        var notes = new List<string>();
        if (translation.Note is string note)
        {
            notes.Add(note);
            messages.WriteLine(note);
        }
        return new EvaluationReport
        {
            Model = modelName, Data = spec, Split = splitName, Examples = translation.TestPairs,
            Translation = translation, Notes = notes, Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>log Z of an RBM: AIS with base rates from the training data, and the exact sum when H is small.</summary>
    private static PartitionFunction EstimatePartition(Rbm rbm, TensorDataset train, BinarizationMode mode, EvaluationRequest settings, ProgressMode progress)
    {
        double? exact = rbm.Hidden <= RbmPartitionFunction.MaxExactHidden ? RbmPartitionFunction.Exact(rbm) : null;
        if (rbm.Options.Visible != Models.Boltzmann.RbmVisible.Bernoulli)
            return exact is double e ? new PartitionFunction(e, true, null)
                : throw new InvalidInputException($"this RBM has Gaussian visible units and {rbm.Hidden} hidden ones: AIS needs binary units and exact log Z needs H <= {RbmPartitionFunction.MaxExactHidden}.");
        // AIS underestimates log Z when its chains miss modes of the model (a CD-trained RBM can put most
        // of its mass far from the data): anneal from the data's base rates and from the uniform model,
        // and keep the larger estimate, the tighter of two stochastic lower bounds.
        using torch.Tensor baseData = mode == BinarizationMode.None ? train.Examples.alias() : Binarization.Static(train.Examples);
        AisResult fromData = RbmPartitionFunction.Ais(rbm, baseData, settings.AisRuns, settings.AisTemperatures, Trainer.EvaluationSeed,
            ProgressReporter.ForConsole(progress));
        AisResult fromUniform = RbmPartitionFunction.Ais(rbm, null, settings.AisRuns, settings.AisTemperatures, Trainer.EvaluationSeed,
            ProgressReporter.ForConsole(progress));
        var (chosen, other) = fromData.LogZ >= fromUniform.LogZ ? (fromData, fromUniform) : (fromUniform, fromData);
        return new PartitionFunction(exact ?? chosen.LogZ, exact is not null, chosen, other);
    }

    /// <summary>
    /// For models with no likelihood of their own (GSN, GANs): the Parzen-window estimate on real-valued
    /// test data, with the width chosen on a held-out slice of the test set (as the GAN paper chose it on
    /// a validation set) and the log-likelihood reported on the rest.
    /// </summary>
    private static ParzenResult ParzenEstimate(IGenerativeModel model, torch.Tensor test, int samples, torch.Device device, ProgressMode progressMode)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator((ulong)Trainer.EvaluationSeed, device);
        var progress = ProgressReporter.ForConsole(progressMode);
        torch.Tensor drawn = ChunkedSampling.Draw(samples, n => model.Sample(n, generator), done => progress.Report("Parzen samples", done, samples, "drawn"), chunk: 1000);
        progress.Finish();
        var (validation, rest) = ParzenWindow.HeldOutSplit(test);
        return ParzenWindow.Estimate(drawn, validation, rest, ParzenWindow.DefaultSigmas);
    }
}
