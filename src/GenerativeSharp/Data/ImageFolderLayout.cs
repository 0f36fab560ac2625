using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace GenerativeSharp.Data;

/// <summary>One image file of an image folder: its split (0 train, 1 test), path relative to the split root with '/' separators, full path, and class index (-1 when unlabelled).</summary>
internal sealed record ImageFolderEntry(int Split, string RelativePath, string Path, int Label);

/// <summary>
/// Which images an image folder holds, in which split and class (see <see cref="ImageFolder.Load"/>
/// for the rules).
/// </summary>
internal sealed class ImageFolderLayout
{
    /// <summary>The split folder names, by split index: train 0, test 1.</summary>
    public static readonly string[] SplitFolders = ["train", "test"];

    private static readonly EnumerationOptions Recursive = new() { RecurseSubdirectories = true, IgnoreInaccessible = true };

    private ImageFolderLayout(bool splitByHash, IReadOnlyList<string> classNames, IReadOnlyList<ImageFolderEntry> images)
    {
        SplitByHash = splitByHash;
        ClassNames = classNames;
        Images = images;
    }

    /// <summary>True when there were no train/test folders and the test split was chosen by hash.</summary>
    public bool SplitByHash { get; }

    /// <summary>Class sub-folder names, sorted ordinally; empty when the images lie directly in the split roots.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The train images, then the test images, each sorted ordinally by relative path.</summary>
    public IReadOnlyList<ImageFolderEntry> Images { get; }

    /// <summary>The root of <paramref name="split"/> relative to the image folder: "train" or "test", or "" when split by hash.</summary>
    public string SplitRoot(int split) => RootOf(SplitByHash, split);

    /// <summary>True for a .png, .jpg or .jpeg file name, in any letter case.</summary>
    public static bool IsImageFile(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".png" or ".jpg" or ".jpeg";

    /// <summary>The image files at any depth under <paramref name="root"/> (hidden files and folders skipped), unordered.</summary>
    public static IEnumerable<string> EnumerateImages(string root) =>
        Directory.EnumerateFiles(root, "*", Recursive).Where(IsImageFile);

    /// <summary>
    /// True when <paramref name="relativePath"/> ('/' separators) belongs to the test split of a folder
    /// without train/test folders: the first 8 bytes of the SHA-256 of its UTF-8 bytes, as a
    /// little-endian integer, are divisible by 10. Stable across processes and machines.
    /// </summary>
    public static bool IsHashTest(string relativePath)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(relativePath));
        return BinaryPrimitives.ReadUInt64LittleEndian(hash) % 10 == 0;
    }

    /// <summary>Finds the images under <paramref name="directory"/>, their splits and classes.</summary>
    /// <exception cref="InvalidInputException">No images, no training images, or images both loose and in class folders.</exception>
    public static ImageFolderLayout Scan(string directory)
    {
        bool byFolders = SplitFolders.All(name => Directory.Exists(Path.Combine(directory, name)));
        var found = new List<(int Split, string Relative)>();
        if (byFolders)
        {
            for (int split = 0; split < SplitFolders.Length; split++)
            {
                found.AddRange(SortedRelative(Path.Combine(directory, SplitFolders[split])).Select(relative => (split, relative)));
            }
        }
        else
        {
            found.AddRange(SortedRelative(directory).Select(relative => (IsHashTest(relative) ? 1 : 0, relative)));
            found = [.. found.Where(f => f.Split == 0), .. found.Where(f => f.Split == 1)];
        }

        if (found.Count == 0)
        {
            throw new InvalidInputException($"{directory}: no .png, .jpg or .jpeg images found (looked in all sub-folders).");
        }

        if (!found.Any(f => f.Split == 0))
        {
            throw new InvalidInputException(byFolders
                ? $"{Path.Combine(directory, "train")}: no .png, .jpg or .jpeg images found; the train folder needs images."
                : $"{directory}: all {found.Count} images fall in the hashed test split; add more images.");
        }

        string? loose = found.Where(f => !f.Relative.Contains('/')).Select(f => Path.Combine(RootOf(!byFolders, f.Split), f.Relative)).FirstOrDefault();
        string? classed = found.Where(f => f.Relative.Contains('/')).Select(f => Path.Combine(RootOf(!byFolders, f.Split), f.Relative)).FirstOrDefault();
        if (loose is not null && classed is not null)
        {
            throw new InvalidInputException(
                $"{directory}: some images lie directly in the folder (e.g. {loose}) and others in class sub-folders (e.g. {classed}); put every image in a class sub-folder, or none.");
        }

        string[] classNames = classed is null
            ? []
            : [.. found.Select(f => ClassOf(f.Relative)).Distinct().Order(StringComparer.Ordinal)];
        var labels = classNames.Select((name, index) => (name, index)).ToDictionary(p => p.name, p => p.index, StringComparer.Ordinal);
        ImageFolderEntry[] images = [.. found.Select(f => new ImageFolderEntry(
            f.Split,
            f.Relative,
            Path.Combine(directory, RootOf(!byFolders, f.Split), f.Relative),
            classed is null ? -1 : labels[ClassOf(f.Relative)]))];
        return new ImageFolderLayout(!byFolders, classNames, images);
    }

    private static string RootOf(bool splitByHash, int split) => splitByHash ? "" : SplitFolders[split];

    /// <summary>The class folder of a relative path: its first segment.</summary>
    private static string ClassOf(string relative) => relative[..relative.IndexOf('/')];

    /// <summary>The images under <paramref name="root"/> as relative paths with '/' separators, sorted ordinally.</summary>
    private static IEnumerable<string> SortedRelative(string root) =>
        EnumerateImages(root)
            .Select(path => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal);
}
