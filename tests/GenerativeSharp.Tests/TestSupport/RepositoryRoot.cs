namespace GenerativeSharp.Tests;

/// <summary>The repository's root directory (where GenerativeSharp.slnx is), found from the test binaries.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "GenerativeSharp.slnx")))
                return directory.FullName;
        throw new InvalidOperationException($"no GenerativeSharp.slnx above {AppContext.BaseDirectory}");
    }
}
