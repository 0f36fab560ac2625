using System.Globalization;

namespace GenerativeSharp.Training;

/// <summary>
/// One writer per run directory: <c>train</c> holds an exclusive lock on DIR/train.lock for its whole
/// life (an OS file lock, released by the kernel if the process dies), and writes its PID to
/// DIR/train.pid so that a second writer can be refused in one line naming the holder. Taking the lock
/// also removes checkpoint temporaries that a killed writer left behind. Disposing releases the lock,
/// removes both files, and removes the directory again if it created it and nothing else was written.
/// </summary>
public sealed class RunDirectoryLock : IDisposable
{
    public const string LockFileName = "train.lock";
    public const string PidFileName = "train.pid";

    private readonly FileStream stream;
    private readonly string directory;
    private readonly bool created;

    private RunDirectoryLock(FileStream stream, string directory, bool created)
    {
        this.stream = stream;
        this.directory = directory;
        this.created = created;
    }

    /// <summary>Locks <paramref name="directory"/> (creating it if needed) for writing.</summary>
    /// <exception cref="InvalidInputException">Another process holds it, or it cannot be a directory.</exception>
    public static RunDirectoryLock Acquire(string directory)
    {
        if (string.IsNullOrWhiteSpace(directory)) throw new InvalidInputException("--out: expected a directory path, got an empty one.");
        string full;
        try
        {
            full = Path.GetFullPath(directory);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new InvalidInputException($"--out {directory}: not a usable path ({e.Message}).");
        }
        if (File.Exists(full)) throw new InvalidInputException($"--out {directory} is a file, not a directory; choose another --out.");
        bool created = !Directory.Exists(full);
        string lockPath = Path.Combine(full, LockFileName);
        FileStream stream;
        try
        {
            Directory.CreateDirectory(full);
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(lockPath))
        {
            throw new InvalidInputException($"{directory} is being written by another gensharp train ({HolderDescription(full)}); " +
                "wait for it to finish or choose another --out.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (created) TryDeleteDirectory(full);
            throw new InvalidInputException($"--out {directory}: cannot write there ({e.Message.ReplaceLineEndings(" ")}).");
        }
        var held = new RunDirectoryLock(stream, full, created);
        try
        {
            File.WriteAllText(Path.Combine(full, PidFileName), Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            foreach (string stale in Directory.EnumerateFiles(full, Checkpoint.FileName + ".tmp-*"))
                File.Delete(stale);                                                   // left by a writer that was killed mid-save
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            held.Dispose();
            throw new InvalidInputException($"--out {directory}: cannot write there ({e.Message.ReplaceLineEndings(" ")}).");
        }
        return held;
    }

    public void Dispose()
    {
        TryDelete(Path.Combine(directory, PidFileName));
        TryDelete(Path.Combine(directory, LockFileName));
        stream.Dispose();
        if (created && Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any()) TryDeleteDirectory(directory);
    }

    private static string HolderDescription(string directory)
    {
        try
        {
            string text = File.ReadAllText(Path.Combine(directory, PidFileName)).Trim();
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? $"PID {pid}" : "PID unknown";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "PID unknown";
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the lock itself is what matters; a leftover file holds no lock
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // not empty after all, or not ours to remove
        }
    }
}
