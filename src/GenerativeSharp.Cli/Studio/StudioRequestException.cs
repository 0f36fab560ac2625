namespace GenerativeSharp.Cli.Studio;

/// <summary>
/// A request the studio refuses, with the HTTP status it answers (400 bad input, 404 unknown run, 413 too large,
/// 415 not an image, 503 busy) and a one-line reason that the page shows as it is.
/// </summary>
internal sealed class StudioRequestException(int status, string message) : Exception(message)
{
    /// <summary>The HTTP status code of the answer.</summary>
    public int Status { get; } = status;
}
