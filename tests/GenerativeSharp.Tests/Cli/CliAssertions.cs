namespace GenerativeSharp.Tests.Cli;

/// <summary>Checks several CLI test classes share: a one-line refusal, and the size a PNG was written at.</summary>
internal static class CliAssertions
{
    /// <summary>Exit code 2 and a single line on standard error that contains <paramref name="expected"/>.</summary>
    public static void OneLineRefusal(CliOutcome outcome, string expected)
    {
        Assert.Equal(2, outcome.Code);
        Assert.Contains(expected, outcome.Error);
        Assert.Single(outcome.Error.Trim().Split('\n'));
    }

    /// <summary>Width and height from a PNG's IHDR chunk (big-endian at bytes 16 and 20).</summary>
    public static (int Width, int Height) PngSize(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int Read(int at) => bytes[at] << 24 | bytes[at + 1] << 16 | bytes[at + 2] << 8 | bytes[at + 3];
        return (Read(16), Read(20));
    }
}
