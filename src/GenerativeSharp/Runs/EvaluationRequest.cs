using GenerativeSharp.Training;

namespace GenerativeSharp.Runs;

/// <summary>What <see cref="RunEvaluation.Evaluate"/> is asked for; the defaults are the CLI's.</summary>
public sealed record EvaluationRequest
{
    /// <summary>The most importance samples per example that an evaluation takes.</summary>
    public const int MaxImportanceSamples = 100_000;

    /// <summary>A run directory written by a training run.</summary>
    public required string Directory { get; init; }

    /// <summary>Other data to evaluate on (same example shape); null: the run's own data.</summary>
    public string? Data { get; init; }

    /// <summary>"test" or "train".</summary>
    public string Split { get; init; } = "test";

    /// <summary>Importance samples k for bound models (1: the ELBO alone).</summary>
    public int ImportanceSamples { get; init; } = 100;

    /// <summary>Step terms of a diffusion model's bound drawn per example (its number of steps T: all); null: the model's default.</summary>
    public int? BoundTimesteps { get; init; }

    /// <summary>Evaluate only the first N examples; null: all.</summary>
    public int? Limit { get; init; }

    public string Device { get; init; } = "cpu";

    public string? DataRoot { get; init; }

    public ProgressMode Progress { get; init; } = ProgressMode.Auto;

    /// <summary>AIS runs for energy models (RBM).</summary>
    public int AisRuns { get; init; } = 100;

    /// <summary>AIS intermediate temperatures for energy models.</summary>
    public int AisTemperatures { get; init; } = 14_500;

    /// <summary>Model samples of the Parzen estimate; null: 10,000 when affordable.</summary>
    public int? ParzenSamples { get; init; }

    /// <summary>Model samples of FID / KID / precision-recall and mode coverage; 0 skips; null: 10,000 when affordable.</summary>
    public int? QualitySamples { get; init; }

    /// <summary>Diffusion models: the sampler the sample-quality metrics draw with ("ddpm" or "ddim"); null with no steps or eta: the model's default.</summary>
    public string? Sampler { get; init; }

    /// <summary>Diffusion models: the DDIM steps S; null: the default (50).</summary>
    public int? SamplerSteps { get; init; }

    /// <summary>Diffusion models: the DDIM eta; null: 0.</summary>
    public double? SamplerEta { get; init; }

    /// <summary>false skips the likelihood (exact, bound or estimate) and reports sample metrics only.</summary>
    public bool Likelihood { get; init; } = true;

    /// <summary>Refuses values out of range, in one line.</summary>
    internal void Check()
    {
        if (Split.ToLowerInvariant() is not ("test" or "train")) throw new InvalidInputException($"--split {Split}: expected test or train.");
        if (ImportanceSamples < 1) throw new InvalidInputException($"--samples {ImportanceSamples}: expected an integer >= 1.");
        if (ImportanceSamples > MaxImportanceSamples)
            throw new InvalidInputException($"--samples {ImportanceSamples}: at most {MaxImportanceSamples} importance samples (papers use 5,000).");
        if (BoundTimesteps is int b && b < 1) throw new InvalidInputException($"--bound-timesteps {b}: expected an integer >= 1.");
        if (Limit is int l && l < 1) throw new InvalidInputException($"--limit {l}: expected an integer >= 1.");
        if (AisRuns < 1 || AisTemperatures < 1) throw new InvalidInputException("AIS needs at least one run and one temperature.");
    }
}
