namespace GenerativeSharp.Evaluation;

/// <summary>
/// An annealed-importance-sampling estimate of log Z with its uncertainty: the standard error of
/// log Z (delta method on the mean importance weight), and log(mean weight -/+ 3 standard errors)
/// as the usual lower / upper report (Salakhutdinov and Murray 2008).
/// </summary>
public sealed record AisResult(double LogZ, double StandardError, double LowerLogZ, double UpperLogZ, double BaseLogZ, int Runs, int Temperatures)
{
    /// <summary>Where the annealing starts: "data base rates" (Salakhutdinov and Murray) or "uniform".</summary>
    public string BaseModel { get; init; } = "data base rates";
}
