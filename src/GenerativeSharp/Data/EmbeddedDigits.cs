using System.Reflection;

namespace GenerativeSharp.Data;

/// <summary>
/// "mnist-10k": 10,000 MNIST digits (8,000 train / 2,000 test) embedded in the library (see
/// Data/Embedded/README.md), so the quick start and the tests of whole commands need no download.
/// The IDX files are copied once to a temporary folder and loaded like any IDX directory.
/// </summary>
internal static class EmbeddedDigits
{
    public const string Name = "mnist-10k";
    private const string ResourcePrefix = "GenerativeSharp.Data.Embedded.";

    private static readonly string[] Files =
    [
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
    ];

    public static bool Matches(string spec) => string.Equals(spec, Name, StringComparison.OrdinalIgnoreCase);

    public static DataSplits Load(string spec)
    {
        string directory = Path.Combine(Path.GetTempPath(), $"gensharp-embedded-{Name}-{EmbeddedVersion()}");
        Directory.CreateDirectory(directory);
        Assembly assembly = typeof(EmbeddedDigits).Assembly;
        foreach (string file in Files)
        {
            string target = Path.Combine(directory, file);
            if (File.Exists(target)) continue;
            using Stream resource = assembly.GetManifestResourceStream(ResourcePrefix + file)
                ?? throw new InvalidOperationException($"embedded resource {file} is missing from the library build.");
            string temporary = $"{target}.{Guid.NewGuid():N}.part";   // parallel processes may extract at once
            using (var output = File.Create(temporary))
                resource.CopyTo(output);
            File.Move(temporary, target, overwrite: true);
        }
        DataSplits loaded = IdxDirectory.Load(spec, directory);
        return new DataSplits(spec, $"{Name} (embedded)", loaded.Description, loaded.Train, loaded.Test, toy: null) { DatasetName = Name };
    }

    private static string EmbeddedVersion()
    {
        using Stream? resource = typeof(EmbeddedDigits).Assembly.GetManifestResourceStream(ResourcePrefix + Files[0]);
        return resource?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "0";
    }
}
