using GenerativeSharp.Data;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests;

/// <summary>
/// Small image datasets the tests make themselves: four stroke patterns (bar, column, diagonal,
/// frame) with jitter and noise, so a model has something real to learn in a few steps.
/// </summary>
internal static class SyntheticImages
{
    public const int Size = 12;

    /// <summary>float32 [count, 1, 12, 12] in [0, 1], reproducible from the seed.</summary>
    public static Tensor Make(int count, long seed)
    {
        var random = new Random((int)seed);
        var pixels = new float[count * Size * Size];
        for (int n = 0; n < count; n++)
        {
            int kind = n % 4, shift = random.Next(-2, 3);
            for (int y = 0; y < Size; y++)
                for (int x = 0; x < Size; x++)
                {
                    bool on = kind switch
                    {
                        0 => Math.Abs(y - (6 + shift)) <= 1,
                        1 => Math.Abs(x - (6 + shift)) <= 1,
                        2 => Math.Abs(x - y - shift) <= 1,
                        _ => x == 2 || y == 2 || x == 9 || y == 9,
                    };
                    float value = on ? 0.9f : 0.05f;
                    pixels[(n * Size + y) * Size + x] = Math.Clamp(value + (float)(random.NextDouble() - 0.5) * 0.1f, 0f, 1f);
                }
        }
        return tensor(pixels, new long[] { count, 1, Size, Size });
    }

    /// <summary>Writes an MNIST-layout IDX directory (gzip) with labels 0..3.</summary>
    public static string WriteIdxDirectory(string directory, int trainCount = 256, int testCount = 64)
    {
        Directory.CreateDirectory(directory);
        WriteSplit(directory, "train", trainCount, seed: 1);
        WriteSplit(directory, "t10k", testCount, seed: 2);
        return directory;
    }

    private static void WriteSplit(string directory, string prefix, int count, long seed)
    {
        using Tensor images = Make(count, seed);
        byte[] bytes = images.mul(255).round().to(ScalarType.Byte).data<byte>().ToArray();
        IdxFile.Write(Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz"), [count, Size, Size], bytes, gzip: true);
        byte[] labels = Enumerable.Range(0, count).Select(i => (byte)(i % 4)).ToArray();
        IdxFile.Write(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz"), [count], labels, gzip: true);
    }
}
