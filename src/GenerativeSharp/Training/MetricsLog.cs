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

    /// <summary>Continues a log, keeping only lines whose "step" is at most <paramref name="lastStep"/>.</summary>
    public static MetricsLog ContinueAfter(string path, long lastStep)
    {
        if (File.Exists(path))
        {
            var kept = File.ReadAllLines(path).Where(line => StepOf(line) is long step && step <= lastStep).ToList();
            string temporary = path + ".tmp";
            File.WriteAllLines(temporary, kept);
            File.Move(temporary, path, overwrite: true);
        }
        return new MetricsLog(path, append: true);
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
            ContinueAfter(log.Path, lastStep).Dispose();
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
