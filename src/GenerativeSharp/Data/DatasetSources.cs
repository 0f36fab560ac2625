namespace GenerativeSharp.Data;

/// <summary>
/// Where named datasets are looked for after --data-root, where downloads go when no data root
/// is set, and (for tests) a replacement for the official mirrors.
/// </summary>
/// <param name="SearchRoots">Directories holding NAME sub-directories, searched in order.</param>
/// <param name="CacheRoot">Downloads go to CACHEROOT/NAME when no data root is set.</param>
/// <param name="Mirrors">Replaces every dataset's official mirrors when not null.</param>
internal sealed record DatasetSources(IReadOnlyList<string> SearchRoots, string CacheRoot, IReadOnlyList<string>? Mirrors)
{
    /// <summary>The environment variable naming a directory of NAME sub-directories.</summary>
    internal const string EnvironmentVariable = "GENSHARP_DATA";

    /// <summary>The system directory Debian's dataset packages install into.</summary>
    internal const string SystemRoot = "/usr/share/datasets";

    /// <summary>$GENSHARP_DATA (if set), ~/.cache/gensharp, /usr/share/datasets; official mirrors.</summary>
    internal static DatasetSources FromEnvironment()
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string cache = Path.Combine(home, ".cache", "gensharp");
        var roots = new List<string>();
        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            roots.Add(fromEnvironment);
        }

        roots.Add(cache);
        roots.Add(SystemRoot);
        return new DatasetSources(roots, cache, Mirrors: null);
    }
}
