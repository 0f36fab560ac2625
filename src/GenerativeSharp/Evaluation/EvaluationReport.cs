using System.Text.Json.Nodes;
using GenerativeSharp.Evaluation.Translation;

namespace GenerativeSharp.Evaluation;

/// <summary>
/// What <c>gensharp eval</c> prints: the likelihood in nats per example and bits per dimension,
/// labelled exact / bound / estimate, plus family fields (the README's command-line section lists them).
/// </summary>
public sealed record EvaluationReport
{
    public required string Model { get; init; }
    public required string Data { get; init; }
    public required string Split { get; init; }
    public required long Examples { get; init; }
    public double? NllNats { get; init; }
    public double? BitsPerDim { get; init; }
    public string? NllKind { get; init; }
    /// <summary>"uniform" when the likelihood is the bound of a uniformly dequantized density of 8-bit data.</summary>
    public string? Dequantization { get; init; }

    /// <summary>-ELBO per example in nats (an upper bound on the NLL; the ELBO itself is its negative).</summary>
    public double? NegativeElboNats { get; init; }
    public int? IwaeK { get; init; }

    /// <summary>Step terms of a step-wise bound evaluated per example (all of them, or a uniform draw), and how many it has.</summary>
    public int? BoundTimesteps { get; init; }
    public int? BoundTerms { get; init; }

    /// <summary>What a class-conditional model's step-wise bound is conditioned on, appended to the bound note; null for unconditional models.</summary>
    public string? BoundCondition { get; init; }

    /// <summary>The model's own words for a bound of one term (VQ-VAE), used as the bound note instead of the diffusion wording; null otherwise.</summary>
    public string? BoundDescription { get; init; }

    /// <summary>The standard error of <see cref="NllNats"/> over the examples (data and time-step sampling noise together).</summary>
    public double? NllStdErr { get; init; }
    /// <summary>The data's entropy H: the lowest expected NLL any model can reach (2-D toys).</summary>
    public double? TrueNllNats { get; init; }

    /// <summary>The true density's own NLL on these test points (H up to sampling noise).</summary>
    public double? TrueDensityTestNllNats { get; init; }

    /// <summary>The paired estimate of KL(data || model): mean of log p(x) - log q(x) over the test points.</summary>
    public double? KlGapNats { get; init; }

    /// <summary>The standard error of <see cref="KlGapNats"/>.</summary>
    public double? KlGapStdErr { get; init; }
    public AisResult? Ais { get; init; }
    public AisResult? AisOtherBase { get; init; }
    public ParzenResult? Parzen { get; init; }
    public double? ExactLogZ { get; init; }
    public SampleQualityReport? SampleQuality { get; init; }

    /// <summary>The sampler that drew a diffusion model's quality samples, e.g. "ddim, 50 steps, eta 0"; null for other models.</summary>
    public string? Sampler { get; init; }
    public ModeCoverageResult? ModeCoverage { get; init; }
    /// <summary>An image-to-image model's scores against the true targets, and the identity baseline's.</summary>
    public TranslationReport? Translation { get; init; }
    /// <summary>What was skipped or approximated, and why (e.g. a default that would cost more than the training did).</summary>
    /// <summary>Mean squared error per pixel of decode(encoder mean) against the split's images (dfc-vae).</summary>
    public double? ReconstructionMsePerPixel { get; init; }

    public IReadOnlyList<string> Notes { get; init; } = [];

    public double Seconds { get; init; }

    /// <summary>In a data-parallel evaluation, the test examples each rank evaluated, in rank order (not written to JSON).</summary>
    public IReadOnlyList<long>? ExamplesPerRank { get; init; }

    /// <summary>The contract's JSON object (nulls kept, so every field is present).</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["model"] = Model,
            ["data"] = Data,
            ["split"] = Split,
            ["examples"] = Examples,
            ["nll_nats"] = Round(NllNats),
            ["bits_per_dim"] = Round(BitsPerDim),
            ["nll_kind"] = NllKind,
            ["negative_elbo_nats"] = Round(NegativeElboNats),
        };
        if (Dequantization is not null) json["dequantization"] = Dequantization;
        if (IwaeK is int k) json["iwae_k"] = k;
        if (BoundTerms is int terms)
        {
            json["bound_timesteps"] = BoundTimesteps;
            json["bound_terms"] = terms;
            json["nll_std_err"] = Round(NllStdErr);
            string note = BoundDescription is string own ? own : BoundTimesteps >= terms
                ? $"L_T plus all {terms} step terms (one draw of x_t each) per example; nll_std_err over the examples"
                : $"L_T plus, per example, the {terms / BoundTimesteps} earliest step terms in full and one term drawn uniformly in each of the other {BoundTimesteps - 1} strata of about {terms / BoundTimesteps} consecutive steps, weighted by the stratum size (an unbiased estimate of the bound); nll_std_err over the examples";
            json["bound_note"] = BoundCondition is null ? note : $"{note}; {BoundCondition}";
        }
        if (TrueNllNats is double truth)
        {
            json["true_nll_nats"] = Round(truth);
            json["true_density_test_nll_nats"] = Round(TrueDensityTestNllNats);
            json["kl_gap_nats"] = Round(KlGapNats);
            json["kl_gap_std_err"] = Round(KlGapStdErr);
        }
        if (Ais is not null)
        {
            json["ais_log_z"] = Round(Ais.LogZ);
            json["ais_log_z_std_err"] = Round(Ais.StandardError);
            json["ais_log_z_lower"] = Round(Ais.LowerLogZ);
            json["ais_log_z_upper"] = Round(Ais.UpperLogZ);
            json["ais_runs"] = Ais.Runs;
            json["ais_temperatures"] = Ais.Temperatures;
            json["ais_base"] = Ais.BaseModel;
            if (AisOtherBase is not null)
                json["ais_log_z_other_base"] = Round(AisOtherBase.LogZ);
        }
        if (ExactLogZ is double exact) json["exact_log_z"] = Round(exact);
        if (Parzen is not null)
        {
            json["parzen_log_likelihood_nats"] = Round(Parzen.MeanLogLikelihood);
            json["parzen_std_err"] = Round(Parzen.StandardError);
            json["parzen_sigma"] = Round(Parzen.Sigma);
            json["parzen_samples"] = Parzen.Samples;
            json["parzen_validation_examples"] = Parzen.ValidationExamples;
            json["parzen_test_examples"] = Parzen.TestExamples;
            json["parzen_note"] = $"Parzen-window estimate (Breuleux et al. 2011), a poor estimator kept only to compare with old tables; " +
                $"sigma chosen on {Parzen.ValidationExamples} held-out test examples, log-likelihood of the other {Parzen.TestExamples}";
        }
        if (SampleQuality is { } q)
        {
            json["feature_network"] = q.FeatureNetwork;
            json["quality_samples"] = q.Samples;
            json["quality_reference_examples"] = q.ReferenceExamples;
            json["fid_label"] = q.Label("FID");
            json["fid_floor_label"] = q.FloorLabel("FID");
            json["fid"] = Round(q.Model.Fid);
            json["kid"] = Round6(q.Model.Kid.Mean);
            json["kid_std"] = Round6(q.Model.Kid.StandardDeviation);
            json["precision"] = Round(q.Model.PrecisionRecall.Precision);
            json["recall"] = Round(q.Model.PrecisionRecall.Recall);
            json["fid_floor"] = Round(q.Floor.Fid);
            json["kid_floor"] = Round6(q.Floor.Kid.Mean);
            json["precision_floor"] = Round(q.Floor.PrecisionRecall.Precision);
            json["recall_floor"] = Round(q.Floor.PrecisionRecall.Recall);
            json["sampling_seconds_per_sample"] = Round6(q.SamplingSeconds / q.Samples);
        }
        if (Sampler is not null) json["sampler"] = Sampler;
        if (ModeCoverage is { } m)
        {
            json["modes_covered"] = m.ModesCovered;
            json["modes"] = m.Modes;
            json["high_quality_share"] = Round(m.HighQualityShare);
        }
        if (Translation is { } t)
        {
            json["direction"] = t.Direction;
            json["test_pairs"] = t.TestPairs;
            json["translation_paired"] = t.Paired;
            json["translation_l1"] = Round6(t.Model.L1);
            json["translation_psnr"] = Round(t.Model.Psnr);
            json["translation_ssim"] = Round(t.Model.Ssim);
            json["translation_fid"] = Round(t.Model.Fid);
            json["identity_l1"] = Round6(t.Identity?.L1);
            json["identity_psnr"] = Round(t.Identity?.Psnr);
            json["identity_ssim"] = Round(t.Identity?.Ssim);
            json["identity_fid"] = Round(t.Identity?.Fid);
            if (t.CycleL1 is double cycle) json["cycle_l1"] = Round6(cycle);
            json["translation_feature_network"] = t.FeatureNetwork;
            json["translation_note"] = "L1 per pixel on [0, 1]; PSNR (dB, capped at 100) and SSIM (Gaussian 11 x 11, sigma 1.5) per image, " +
                (t.Paired ? "averaged; FID of the outputs against the test targets" : "averaged, left out: the domains are unpaired; FID of the outputs against all test images of B") +
                "; identity = the input as output" +
                (t.CycleL1 is null ? "" : "; cycle_l1 = mean |F(G(a)) - a| on the test inputs");
        }
        if (ReconstructionMsePerPixel is double mse) json["reconstruction_mse_per_pixel"] = Round6(mse);
        if (Notes.Count > 0) json["notes"] = new JsonArray(Notes.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
        json["seconds"] = Math.Round(Seconds, 3);
        return json;
    }

    /// <summary>The numeric fields for metrics.jsonl.</summary>
    public IReadOnlyDictionary<string, double> NumericFields()
    {
        var fields = new Dictionary<string, double>();
        void Add(string name, double? value) { if (value is double v) fields[name] = v; }
        Add("nll_nats", NllNats);
        Add("bits_per_dim", BitsPerDim);
        Add("negative_elbo_nats", NegativeElboNats);
        Add("kl_gap_nats", KlGapNats);
        Add("fid", SampleQuality?.Model.Fid);
        Add("modes_covered", ModeCoverage?.ModesCovered);
        Add("reconstruction_mse_per_pixel", ReconstructionMsePerPixel);
        Add("translation_l1", Translation?.Model.L1);
        Add("translation_psnr", Translation?.Model.Psnr);
        Add("translation_ssim", Translation?.Model.Ssim);
        Add("translation_fid", Translation?.Model.Fid);
        Add("cycle_l1", Translation?.CycleL1);
        return fields;
    }

    private static JsonNode? Round6(double? value) =>
        value is double v && double.IsFinite(v) ? JsonValue.Create(Math.Round(v, 6)) : null;

    private static JsonNode? Round(double? value) =>
        value is double v && double.IsFinite(v) ? JsonValue.Create(Math.Round(v, 4)) : null;
}
