namespace GenerativeSharp.Imaging;

/// <summary>Writes a file through a temporary sibling and a rename, so readers see the old or the new file, never half of one.</summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<Stream> writeContent)
    {
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath)
            ?? throw new ArgumentException($"Expected a file path, got the root '{path}'.", nameof(path));
        Directory.CreateDirectory(directory);

        // Same directory, so the rename stays on one file system and replaces the target atomically.
        string tempPath = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                writeContent(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(tempPath, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(tempPath);
            throw;
        }
    }
}
