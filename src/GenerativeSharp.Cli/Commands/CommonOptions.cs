using System.CommandLine;
using System.Globalization;
using GenerativeSharp.Data;
using GenerativeSharp.Runtime;
using TorchSharp;

namespace GenerativeSharp.Cli.Commands;

/// <summary>Options several commands share, made fresh for each command, with their checks.</summary>
internal static class CommonOptions
{
    public static Option<string> Device() => new("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };

    public static Option<long> Seed(long defaultSeed = 0) =>
        new("--seed") { Description = "random seed (same seed, same result on CPU)", DefaultValueFactory = _ => defaultSeed };

    public static Option<string?> DataRoot() => new("--data-root") { Description = "first directory searched for named datasets" };

    public static Option<string?> Data(bool required) => new("--data")
    {
        Description = "fashion-mnist, mnist, mnist-10k, toy:NAME, a directory of IDX files, or a folder of PNG/JPEG images (class sub-folders, train/ and test/)",
        Required = required,
    };

    public static Option<string?> Target() => new("--target")
    {
        Description = "a folder of images paired with the --data folder by relative path (the true outputs, for image-to-image models; cyclegan's domain B, its pairing unused in training)",
    };

    public static Option<int?> ImageSize() => new("--image-size") { Description = "resize the images of an image folder to N x N (area averaging)" };

    public static torch.Device ResolveDevice(string name) => TorchRuntime.ResolveDevice(name);

    public static int Positive(string option, int value)
    {
        if (value < 1) throw new InvalidInputException($"{option} {value}: expected an integer >= 1.");
        return value;
    }

    public static DataSplits LoadData(string spec, string? dataRoot, long seed, TextWriter progress) =>
        DataCatalog.Load(spec, new DataOptions { DataRoot = dataRoot, Seed = seed, Progress = progress });

    public static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
