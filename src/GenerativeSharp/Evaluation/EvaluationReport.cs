using System.Text.Json.Nodes;

namespace GenerativeSharp.Evaluation;

/// <summary>
/// What <c>gensharp eval</c> prints: the likelihood in nats per example and bits per dimension,
/// labelled exact / bound / estimate, plus family fields. Field names follow CONTRACT.md.
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
    public double? ElboNats { get; init; }
    public int? IwaeK { get; init; }
    public double? TrueNllNats { get; init; }
    public double? KlGapNats { get; init; }
    public AisResult? Ais { get; init; }
    public AisResult? AisOtherBase { get; init; }
    public ParzenResult? Parzen { get; init; }
    public double? ExactLogZ { get; init; }
    public SampleQualityReport? SampleQuality { get; init; }
    public ModeCoverageResult? ModeCoverage { get; init; }
    public double Seconds { get; init; }

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
            ["elbo_nats"] = Round(ElboNats),
        };
        if (IwaeK is int k) json["iwae_k"] = k;
        if (TrueNllNats is double truth)
        {
            json["true_nll_nats"] = Round(truth);
            json["kl_gap_nats"] = Round(KlGapNats);
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
            json["parzen_note"] = "Parzen-window estimate (Breuleux et al. 2011), a poor estimator kept only to compare with old tables";
        }
        if (SampleQuality is { } q)
        {
            json["feature_network"] = q.FeatureNetwork;
            json["quality_samples"] = q.Samples;
            json["fid_label"] = q.Label("FID");
            json["fid"] = Round(q.Model.Fid);
            json["kid"] = Round6(q.Model.Kid.Mean);
            json["kid_std"] = Round6(q.Model.Kid.StandardDeviation);
            json["precision"] = Round(q.Model.PrecisionRecall.Precision);
            json["recall"] = Round(q.Model.PrecisionRecall.Recall);
            json["fid_floor"] = Round(q.Floor.Fid);
            json["kid_floor"] = Round6(q.Floor.Kid.Mean);
            json["precision_floor"] = Round(q.Floor.PrecisionRecall.Precision);
            json["recall_floor"] = Round(q.Floor.PrecisionRecall.Recall);
        }
        if (ModeCoverage is { } m)
        {
            json["modes_covered"] = m.ModesCovered;
            json["modes"] = m.Modes;
            json["high_quality_share"] = Round(m.HighQualityShare);
        }
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
        Add("elbo_nats", ElboNats);
        Add("kl_gap_nats", KlGapNats);
        Add("fid", SampleQuality?.Model.Fid);
        Add("modes_covered", ModeCoverage?.ModesCovered);
        return fields;
    }

    private static JsonNode? Round6(double? value) =>
        value is double v && double.IsFinite(v) ? JsonValue.Create(Math.Round(v, 6)) : null;

    private static JsonNode? Round(double? value) =>
        value is double v && double.IsFinite(v) ? JsonValue.Create(Math.Round(v, 4)) : null;
}
