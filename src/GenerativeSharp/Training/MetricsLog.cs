using System.Text.Json;
using System.Text.Json.Nodes;

namespace GenerativeSharp.Training;

/// <summary>
/// DIR/metrics.jsonl: one JSON object per line with at least "step", "epoch" and "loss", plus the
/// evaluation fields after each evaluation. Lines are flushed as written, so a crash loses nothing
/// already logged; on resume, lines beyond the checkpoint's step are dropped so the log matches
/// the weights.
/// </summary>
public sealed class MetricsLog : IDisposable
{
    private readonly StreamWriter writer;

    private MetricsLog(string path, bool append)
    {
        Path = path;
        writer = new StreamWriter(new FileStream(path, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read))
        {
            AutoFlush = true,
            NewLine = "\n",
        };
    }

    public string Path { get; }

    /// <summary>A fresh log (an existing file is replaced).</summary>
    public static MetricsLog Create(string path) => new(path, append: false);

    /// <summary>
    /// Continues a log, keeping its lines up to the first whose "step" is beyond <paramref name="lastStep"/>
    /// (or that is torn): the file is truncated in place, which needs no free space.
    /// </summary>
    public static MetricsLog ContinueAfter(string path, long lastStep)
    {
        if (File.Exists(path)) CutBack(path, lastStep);
        return new MetricsLog(path, append: true);
    }

    private static void CutBack(string path, long lastStep)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        long keep = 0;
        int start = 0;
        while (start < bytes.Length)
        {
            int end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0) break;                                                      // a torn last line without its newline
            string line = System.Text.Encoding.UTF8.GetString(bytes, start, end - start);
            if (StepOf(line) is not long step || step > lastStep) break;
            keep = end + 1;
            start = end + 1;
        }
        stream.SetLength(keep);
    }

    public void Write(long step, int epoch, IReadOnlyDictionary<string, double> values,
        IReadOnlyDictionary<string, string>? labels = null)
    {
        var line = new JsonObject { ["step"] = step, ["epoch"] = epoch };
        foreach (var (name, label) in labels ?? new Dictionary<string, string>())
            line[name] = label;
        foreach (var (name, value) in values)
            line[name] = double.IsFinite(value) ? JsonValue.Create(Math.Round(value, 6)) : null;
        writer.WriteLine(line.ToJsonString());
    }

    public void Dispose()
    {
        try
        {
            writer.Dispose();
        }
        catch (IOException)
        {
            // a full disk: the buffered line is lost, which is what a failed write means
        }
    }

    /// <summary>
    /// After a failed write: closes <paramref name="log"/> and keeps only the lines up to
    /// <paramref name="lastStep"/> (the checkpoint on disk), if the disk still lets it.
    /// </summary>
    public static void TryCutBack(MetricsLog log, long lastStep)
    {
        log.Dispose();
        try
        {
            CutBack(log.Path, lastStep);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the disk is still full: resuming drops the lines beyond the checkpoint anyway
        }
    }

    /// <summary>
    /// The training time logged in <paramref name="path"/>: the sum of the epochs' "epoch_seconds"
    /// (training steps only, over resumed runs too), or null when the log has none (older runs).
    /// </summary>
    public static double? TrainingSeconds(string path)
    {
        if (!File.Exists(path)) return null;
        double total = 0;
        bool any = false;
        foreach (string line in File.ReadLines(path))
        {
            try
            {
                if (JsonNode.Parse(line)?[Trainer.EpochSecondsField]?.GetValue<double>() is double seconds)
                {
                    total += seconds;
                    any = true;
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                // a torn or foreign line carries no time
            }
        }
        return any ? total : null;
    }

    private static long? StepOf(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty("step", out var step) ? step.GetInt64() : null;
        }
        catch (JsonException)
        {
            return null;   // a torn last line from a crash
        }
    }
}
