using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace GenerativeSharp.Cli.Studio;

/// <summary>A request's query parameters read as numbers, each bad one refused in one line (400) naming it.</summary>
internal static class QueryValues
{
    /// <summary>The integer <paramref name="key"/>, or null when absent or empty.</summary>
    public static long? Long(HttpRequest request, string key) => Parse<long>(request, key, text =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : null, "an integer");

    /// <summary>The 32-bit integer <paramref name="key"/>, or null when absent or empty.</summary>
    public static int? Int(HttpRequest request, string key) => Parse<int>(request, key, text =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) ? v : null, "an integer");

    /// <summary>The finite number <paramref name="key"/>, or null when absent or empty.</summary>
    public static double? Double(HttpRequest request, string key) => Parse<double>(request, key, text =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v : null, "a number");

    /// <summary>The text <paramref name="key"/>, or <paramref name="fallback"/> when absent.</summary>
    public static string Text(HttpRequest request, string key, string fallback) =>
        request.Query.TryGetValue(key, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0]! : fallback;

    private static T? Parse<T>(HttpRequest request, string key, Func<string, T?> parse, string expected) where T : struct
    {
        if (!request.Query.TryGetValue(key, out var values) || values.Count == 0 || string.IsNullOrEmpty(values[0])) return null;
        string text = values[0]!;
        return parse(text) ?? throw new StudioRequestException(400, $"{key} {(text.Length > 40 ? text[..40] + "..." : text)}: expected {expected}.");
    }
}
