using System.Text.RegularExpressions;
using GenerativeSharp.Training;

namespace GenerativeSharp.Cli.Studio;

/// <summary>
/// The fixed table of runs the studio serves, made once at start from the directories it was given: a request
/// names a run by its table name (the directory's last part, made unique), and no part of a request ever
/// becomes a path.
/// </summary>
internal sealed partial class RunTable : IDisposable
{
    private readonly Dictionary<string, StudioRun> runs = new(StringComparer.Ordinal);

    /// <summary>The runs of <paramref name="directories"/>, or with none given every run directory under <c>runs/</c>.</summary>
    /// <exception cref="InvalidInputException">A directory is missing or holds no checkpoint, or there is no run at all.</exception>
    public RunTable(IReadOnlyList<string> directories, int queueLimit)
    {
        IEnumerable<string> chosen = directories.Count > 0 ? directories : DefaultRuns();
        foreach (string directory in chosen)
        {
            if (!Directory.Exists(directory)) throw new InvalidInputException($"{directory}: no such run directory.");
            if (!Checkpoint.ExistsIn(directory))
                throw new InvalidInputException($"{directory} holds no {Checkpoint.FileName}; give run directories written by 'gensharp train'.");
            string name = UniqueName(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))));
            runs[name] = new StudioRun(name, Path.GetFullPath(directory), queueLimit);
        }
        if (runs.Count == 0) throw new InvalidInputException("no run directories to serve: give DIR... or train runs under runs/.");
    }

    /// <summary>The runs in table order.</summary>
    public IEnumerable<StudioRun> All => runs.Values;

    /// <summary>The run called <paramref name="name"/>.</summary>
    /// <exception cref="StudioRequestException">404: no run has that name.</exception>
    public StudioRun Get(string name) => runs.TryGetValue(name, out StudioRun? run) ? run
        : throw new StudioRequestException(404, $"unknown run '{Shorten(name)}'; GET /api/runs lists the runs served.");

    public void Dispose()
    {
        foreach (StudioRun run in runs.Values) run.Dispose();
    }

    private static IEnumerable<string> DefaultRuns() => Directory.Exists("runs")
        ? Directory.GetDirectories("runs").Where(Checkpoint.ExistsIn).Order(StringComparer.Ordinal)
        : [];

    private string UniqueName(string directoryName)
    {
        string name = SafeCharacters().Replace(directoryName, "-");
        if (name.Length == 0 || name.All(c => c == '.')) name = "run";
        string unique = name;
        for (int i = 2; runs.ContainsKey(unique); i++) unique = $"{name}-{i}";
        return unique;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex SafeCharacters();
}
