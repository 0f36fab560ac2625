using System.Text.Json;
using System.Text.Json.Nodes;
using GenerativeSharp.Training;

namespace GenerativeSharp.Cli.Studio;

/// <summary>
/// A run's metrics.jsonl for the runs view: its lines as JSON objects (the last <see cref="MaxLines"/>), read afresh
/// on each request so a run that is still training shows its new lines; a half-written last line is left for the next read.
/// </summary>
internal static class RunMetrics
{
    /// <summary>The most lines one answer carries (the latest ones).</summary>
    public const int MaxLines = 5000;

    /// <summary>{"run": NAME, "lines": [...]} for the run's metrics.jsonl (no lines before training has written any).</summary>
    public static JsonObject Read(StudioRun run)
    {
        var lines = new JsonArray();
        string file = Path.Combine(run.Directory, Trainer.MetricsFileName);
        if (File.Exists(file))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            var kept = new Queue<JsonNode>();
            while (reader.ReadLine() is string line)
            {
                if (line.Length == 0) continue;
                JsonNode? node;
                try
                {
                    node = JsonNode.Parse(line);
                }
                catch (JsonException)
                {
                    continue;                                                           // a line still being written
                }
                if (node is not JsonObject) continue;
                kept.Enqueue(node);
                if (kept.Count > MaxLines) kept.Dequeue();
            }
            foreach (JsonNode node in kept) lines.Add(node);
        }
        return new JsonObject { ["run"] = run.Name, ["lines"] = lines };
    }
}
