using System.Text.RegularExpressions;

namespace GenerativeSharp.Training.Logging;

/// <summary>
/// DIR/tensorboard/events.out.tfevents.TIME.HOST.PID.N.gensharp: the run's scalars (the same
/// fields, steps and values as metrics.jsonl) and its sample grid per epoch (the bytes of
/// samples.png) as TensorBoard event records, the global step on the x axis. Each write is flushed,
/// so a crash loses nothing already logged. Every start or resume opens a new file (TensorBoard
/// merges the files of a directory) after cutting the run's earlier files back to the checkpoint's
/// step, as <see cref="MetricsLog"/> does, so no step is ever logged twice.
/// </summary>
public sealed partial class TensorBoardLog : IDisposable
{
    /// <summary>The run directory's subfolder that holds the event files.</summary>
    public const string FolderName = "tensorboard";

    /// <summary>The image tag of the per-epoch sample grid.</summary>
    public const string SamplesTag = "samples";

    /// <summary>The scalar tag of the epoch, as metrics.jsonl's "epoch" field has it.</summary>
    public const string EpochTag = "epoch";

    /// <summary>The end of the name of every event file this writer makes (and the only files it ever cuts back).</summary>
    public const string FileSuffix = ".gensharp";

    private readonly FileStream stream;

    private TensorBoardLog(FileStream stream)
    {
        this.stream = stream;
        Append(TensorBoardEvents.Version(TensorBoardEvents.Now()));
    }

    /// <summary>The event file being written.</summary>
    public string Path => stream.Name;

    /// <summary>
    /// Cuts the event files in <paramref name="runDirectory"/>'s <see cref="FolderName"/> back to
    /// <paramref name="lastStep"/> (a new run passes 0, which drops a replaced run's data) and opens a new file.
    /// </summary>
    public static TensorBoardLog ContinueAfter(string runDirectory, long lastStep)
    {
        string folder = System.IO.Path.Combine(runDirectory, FolderName);
        Directory.CreateDirectory(folder);
        CutBack(folder, lastStep);
        string stem = $"events.out.tfevents.{DateTimeOffset.UtcNow.ToUnixTimeSeconds():D10}.{Unsafe().Replace(Environment.MachineName, "_")}.{Environment.ProcessId}";
        for (int n = 0; ; n++)
        {
            string path = System.IO.Path.Combine(folder, $"{stem}.{n}{FileSuffix}");
            if (File.Exists(path)) continue;
            try
            {
                return new TensorBoardLog(new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read));
            }
            catch (IOException) when (File.Exists(path))
            {
                // created in between by another writer of this second: take the next number
            }
        }
    }

    /// <summary>
    /// One metrics.jsonl line as scalars at <paramref name="step"/>: <see cref="EpochTag"/> and every value
    /// under its field name (as floats; a non-finite value, null in the JSON, stays non-finite).
    /// </summary>
    public void WriteScalars(long step, int epoch, IReadOnlyDictionary<string, double> values)
    {
        var scalars = new List<KeyValuePair<string, float>> { new(EpochTag, epoch) };
        scalars.AddRange(values.Select(p => new KeyValuePair<string, float>(p.Key, (float)p.Value)));
        Append(TensorBoardEvents.Scalars(TensorBoardEvents.Now(), step, scalars));
    }

    /// <summary>
    /// An epoch's last metrics.jsonl line as scalars (<see cref="WriteScalars"/>) and, when <paramref name="samplesPath"/>
    /// is given (the grid was drawn this epoch), that PNG as the image <see cref="SamplesTag"/>, all at <paramref name="step"/>.
    /// </summary>
    public void WriteEpoch(long step, int epoch, IReadOnlyDictionary<string, double> values, string? samplesPath)
    {
        WriteScalars(step, epoch, values);
        if (samplesPath != null) WriteSamples(step, samplesPath);
    }

    /// <summary>The PNG file at <paramref name="pngPath"/>, byte for byte, as the image <see cref="SamplesTag"/> at <paramref name="step"/>.</summary>
    public void WriteSamples(long step, string pngPath) =>
        Append(TensorBoardEvents.Image(TensorBoardEvents.Now(), step, SamplesTag, File.ReadAllBytes(pngPath)));

    public void Dispose()
    {
        try
        {
            stream.Dispose();
        }
        catch (IOException)
        {
            // a full disk: the record being written is lost, which is what a failed write means
        }
    }

    /// <summary>
    /// After a failed write: closes <paramref name="log"/> and cuts the event files back to
    /// <paramref name="lastStep"/> (the checkpoint on disk), if the disk still lets it.
    /// </summary>
    public static void TryCutBack(TensorBoardLog log, long lastStep)
    {
        log.Dispose();
        try
        {
            CutBack(System.IO.Path.GetDirectoryName(log.Path)!, lastStep);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the disk is still full: resuming cuts them back anyway
        }
    }

    private void Append(byte[] record)
    {
        TfRecord.Write(stream, record);
        stream.Flush();
    }

    /// <summary>
    /// Keeps each of this writer's event files in <paramref name="folder"/> up to its first record beyond
    /// <paramref name="lastStep"/> (or its first torn one), truncating in place; a file left with no
    /// summary (its version record alone) is deleted.
    /// </summary>
    private static void CutBack(string folder, long lastStep)
    {
        if (!Directory.Exists(folder)) return;
        foreach (string path in Directory.GetFiles(folder, "events.out.tfevents.*" + FileSuffix))
        {
            long keep = 0;
            int kept = 0;
            using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read))
            {
                var bytes = new byte[file.Length];
                file.ReadExactly(bytes);
                foreach (var (data, end) in TfRecord.Read(bytes))
                {
                    if (TensorBoardEvents.StepOf(data) is not long step || step > lastStep) break;
                    keep = end;
                    kept++;
                }
                if (keep < bytes.Length) file.SetLength(keep);
            }
            if (kept <= 1) File.Delete(path);
        }
    }

    [GeneratedRegex("[^A-Za-z0-9_-]")]
    private static partial Regex Unsafe();
}
