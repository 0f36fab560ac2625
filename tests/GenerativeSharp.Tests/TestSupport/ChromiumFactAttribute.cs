namespace GenerativeSharp.Tests;

/// <summary>
/// A fact that drives a real headless Chromium (Debian's <c>chromium</c>; .ci/run installs it): skipped, with the
/// reason, where no browser is found, never passed silently. GENSHARP_CHROMIUM names another executable.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

    /// <summary>The browser executable, or null where there is none.</summary>
    public static string? Executable { get; } = Environment.GetEnvironmentVariable("GENSHARP_CHROMIUM") is { Length: > 0 } named
        ? File.Exists(named) ? named : null
        : Candidates.FirstOrDefault(File.Exists);

    public ChromiumFactAttribute()
    {
        Timeout = 0;
        if (Executable is null)
            Skip = "no Chromium found (apt install chromium, or set GENSHARP_CHROMIUM to a Chrome or Chromium executable): the studio's browser tests did not run";
    }
}
