using GenerativeSharp.Imaging;

namespace GenerativeSharp.Tests;

/// <summary>
/// Small paired image folders the tests make themselves: every style has the same 16 relative paths
/// (12 train, 4 test, classes "round" and "square"), 20 x 20 colour PNGs of one shape on a ground
/// whose brightness names the style.
/// </summary>
internal static class PairedColourFolders
{
    /// <summary>Writes the style under <paramref name="root"/> unless it is there already; returns <paramref name="root"/>.</summary>
    /// <param name="namePrefix">prefixed to every file name: another prefix makes a folder that pairs with nothing</param>
    /// <param name="count">images in all, the first three quarters in train</param>
    public static string WriteStyle(string root, int ground, string namePrefix = "", int count = 16)
    {
        if (Directory.Exists(root)) return root;
        for (int i = 0; i < count; i++)
        {
            var pixels = new byte[20 * 20 * 3];
            for (int y = 0; y < 20; y++)
                for (int x = 0; x < 20; x++)
                {
                    bool on = Math.Abs(x - 10 - i % 3) < 4 + i % 2 && Math.Abs(y - 10) < 5;
                    for (int c = 0; c < 3; c++)
                        pixels[(y * 20 + x) * 3 + c] = (byte)(on ? 240 - 70 * c : ground + 5 * c);
                }
            PngFile.Write(Path.Combine(root, i < count * 3 / 4 ? "train" : "test", i % 2 == 0 ? "round" : "square", $"{namePrefix}{i}.png"), pixels, 20, 20, 3);
        }
        return root;
    }
}
