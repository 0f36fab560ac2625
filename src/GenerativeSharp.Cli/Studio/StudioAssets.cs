using System.Reflection;

namespace GenerativeSharp.Cli.Studio;

/// <summary>The page's files (HTML, CSS, JavaScript), embedded in the assembly as resources named Studio.Assets.FILE.</summary>
internal static class StudioAssets
{
    /// <summary>The files served, by URL path, with their content types; nothing else is served.</summary>
    public static readonly IReadOnlyDictionary<string, (string Resource, string ContentType)> Files = new Dictionary<string, (string, string)>
    {
        ["/"] = ("index.html", "text/html; charset=utf-8"),
        ["/studio.css"] = ("studio.css", "text/css; charset=utf-8"),
        ["/studio.js"] = ("studio.js", "text/javascript; charset=utf-8"),
    };

    /// <summary>The bytes of the embedded file <paramref name="resource"/>.</summary>
    public static byte[] Read(string resource)
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Studio.Assets." + resource)
            ?? throw new InvalidOperationException($"the studio asset {resource} is not embedded in the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
