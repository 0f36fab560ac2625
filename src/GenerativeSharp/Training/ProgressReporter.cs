using System.Diagnostics;
using System.Globalization;

namespace GenerativeSharp.Training;

/// <summary>
/// Console progress for long work: a bar redrawn in place in a terminal, or a plain line every few
/// seconds when output goes to a file or pipe (so logs stay readable), or nothing.
/// </summary>
public sealed class ProgressReporter
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LiveInterval = TimeSpan.FromMilliseconds(200);

    private readonly TextWriter output;
    private readonly bool live;
    private readonly bool enabled;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private TimeSpan? lastWrite;
    private bool lineOpen;

    public ProgressReporter(ProgressMode mode, TextWriter output, bool outputIsTerminal)
    {
        this.output = output;
        enabled = mode != ProgressMode.None;
        live = mode == ProgressMode.Auto && outputIsTerminal;
    }

    /// <summary>For the console's standard error stream.</summary>
    public static ProgressReporter ForConsole(ProgressMode mode) =>
        new(mode, Console.Error, !Console.IsErrorRedirected);

    /// <summary>Reports work done; throttled, so call it as often as you like.</summary>
    public void Report(string label, long done, long total, string detail, bool force = false)
    {
        if (!enabled) return;
        TimeSpan now = clock.Elapsed;
        if (!force && lastWrite is TimeSpan last && now - last < (live ? LiveInterval : PlainInterval)) return;
        lastWrite = now;
        double fraction = total > 0 ? Math.Clamp((double)done / total, 0, 1) : 0;
        string eta = done > 0 && total > done
            ? FormatDuration(TimeSpan.FromSeconds(now.TotalSeconds / done * (total - done)))
            : "--";
        string counts = string.Create(CultureInfo.InvariantCulture, $"{done}/{total} ({fraction:P0}){(detail.Length > 0 ? " " : "")}{detail} eta {eta}");
        if (live)
        {
            const int width = 28;
            int filled = (int)Math.Round(fraction * width);
            output.Write($"\r{label} [{new string('#', filled)}{new string('.', width - filled)}] {counts}   ");
            lineOpen = true;
        }
        else
        {
            output.WriteLine($"{label} {counts}");
        }
        output.Flush();
    }

    /// <summary>Writes a whole line (an epoch summary), keeping the live bar intact.</summary>
    public void Line(string text)
    {
        if (!enabled) return;
        if (lineOpen) output.WriteLine();
        lineOpen = false;
        output.WriteLine(text);
        output.Flush();
    }

    /// <summary>Ends the live line, if any.</summary>
    public void Finish()
    {
        if (lineOpen) output.WriteLine();
        lineOpen = false;
        output.Flush();
    }

    private static string FormatDuration(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes:D2}m" : $"{span.Minutes}m{span.Seconds:D2}s";
}
