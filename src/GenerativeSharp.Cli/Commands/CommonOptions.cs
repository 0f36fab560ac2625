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
        Description = "fashion-mnist, mnist, toy:NAME or a directory of IDX files",
        Required = required,
    };

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
