using TorchSharp;

namespace GenerativeSharp.Data;

/// <summary>
/// Resolves a --data argument (the README's "Data" section) into train and test splits:
/// <list type="bullet">
/// <item>"fashion-mnist", "mnist": found in --data-root, $GENSHARP_DATA, ~/.cache/gensharp,
/// /usr/share/datasets, else downloaded from the official source;</item>
/// <item>"toy:NAME": one of the seven 2-D densities of <see cref="ToyDensities"/>;</item>
/// <item>a directory of IDX files in the MNIST layout;</item>
/// <item>a folder of PNG or JPEG images laid out as torchvision's ImageFolder (<see cref="ImageFolder"/>),
/// optionally paired with a target folder and resized;</item>
/// <item>"edges:SPEC": any of the image data above paired with its own edge maps (<see cref="EdgeMapPairs"/>).</item>
/// </list>
/// </summary>
public static class DataCatalog
{
    /// <summary>The fixed seed of every toy test set: the same points for every run and model.</summary>
    internal const long ToyTestSeed = 1_592_622_679;

    private const string ToyPrefix = "toy:";

    /// <summary>"fashion-mnist", "mnist".</summary>
    public static IReadOnlyList<string> NamedDatasets { get; } = NamedDataset.All.Select(d => d.Name).ToArray();

    /// <summary>Loads the dataset <paramref name="spec"/> names.</summary>
    /// <exception cref="InvalidInputException">The spec is unknown, a file is missing or corrupt, or a download failed.</exception>
    public static DataSplits Load(string spec, DataOptions options) =>
        Load(spec, options, DatasetSources.FromEnvironment());

    /// <summary><see cref="Load(string, DataOptions)"/> with the search directories and mirrors given (for tests).</summary>
    internal static DataSplits Load(string spec, DataOptions options, DatasetSources sources)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sources);
        string text = spec.Trim();
        if (EdgeMapPairs.Matches(text))
        {
            if (options.Target is not null)
                throw new InvalidInputException($"{spec}: edges:DATA pairs each image with its own edge map; --target is not taken.");
            string inner = text[EdgeMapPairs.Prefix.Length..];
            return EdgeMapPairs.From(spec, Load(inner, options, sources));
        }

        if (text.Length > 0 && Directory.Exists(text) && !IdxDirectory.HasImages(text) && ImageFolder.Contains(text))
        {
            return LoadImageFolder(spec, text, options);
        }

        if (options.Target is not null || options.ImageSize is not null)
        {
            throw new InvalidInputException(
                $"{(options.Target is not null ? "--target" : "--image-size")} is for folders of PNG or JPEG images; '{spec}' is not one.");
        }

        if (text.StartsWith(ToyPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return LoadToy(spec, ToyDensities.Get(text[ToyPrefix.Length..]), options);
        }

        NamedDataset? named = NamedDataset.All.FirstOrDefault(d => string.Equals(d.Name, text, StringComparison.OrdinalIgnoreCase));
        if (named is not null)
        {
            return LoadNamed(spec, named, options, sources);
        }

        if (text.Length > 0 && Directory.Exists(text))
        {
            return IdxDirectory.Load(spec, text);
        }

        if (EmbeddedDigits.Matches(text))
        {
            return EmbeddedDigits.Load(spec);
        }

        throw new InvalidInputException(
            $"unknown dataset '{spec}': expected {string.Join(", ", NamedDatasets)}, {EmbeddedDigits.Name} (embedded), toy:NAME ({ToyDensities.NameList}), a directory of IDX files, an image folder or edges:DATA");
    }

    private static DataSplits LoadImageFolder(string spec, string directory, DataOptions options)
    {
        if (options.Target is not null && !Directory.Exists(options.Target))
            throw new InvalidInputException($"--target {options.Target}: no such folder.");
        ImageFolderContent content = ImageFolder.Load(directory, options.Target, options.ImageSize, options.Progress);
        TensorDataset train = content.Train.Data, test = content.Test.Data;                  // DataSplits owns them from here
        var description = DataDescription.Images(train.EventShape, content.ClassNames) with
        {
            TargetShape = train.Targets?.shape[1..], TargetsPaired = train.TargetsPaired,
        };
        string source = Path.GetFullPath(directory) + (content.SplitByHash ? " (test: 10% by path hash)" : "")
            + (options.Target is null ? "" : $", {(train.TargetsPaired ? "paired" : "unpaired")} with {Path.GetFullPath(options.Target)}");
        try
        {
            return new DataSplits(spec, source, description, train, test, toy: null);
        }
        catch
        {
            content.Dispose();
            throw;
        }
    }

    private static DataSplits LoadToy(string spec, ToyDensity toy, DataOptions options)
    {
        if (options.ToyTrainCount <= 0 || options.ToyTestCount <= 0)
        {
            throw new InvalidInputException(
                $"toy:{toy.Name}: point counts must be positive, got {options.ToyTrainCount} train and {options.ToyTestCount} test");
        }

        using var trainGenerator = new torch.Generator(unchecked((ulong)options.Seed));
        using var testGenerator = new torch.Generator((ulong)ToyTestSeed);
        var train = new TensorDataset(toy.Sample(options.ToyTrainCount, trainGenerator), labels: null);
        var test = new TensorDataset(toy.Sample(options.ToyTestCount, testGenerator), labels: null);
        return new DataSplits(spec, $"toy:{toy.Name} (generated)", DataDescription.Points(), train, test, toy);
    }

    private static DataSplits Named(DataSplits loaded, string name) =>
        new(loaded.Spec, loaded.Source, loaded.Description, loaded.Train, loaded.Test, loaded.Toy) { DatasetName = name };

    private static DataSplits LoadNamed(string spec, NamedDataset dataset, DataOptions options, DatasetSources sources)
    {
        // 1. Search: DATAROOT/NAME, DATAROOT, then each root's NAME sub-directory.
        var searched = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.DataRoot))
        {
            searched.Add(Path.Combine(options.DataRoot, dataset.Name));
            searched.Add(options.DataRoot);
        }

        searched.AddRange(sources.SearchRoots.Select(root => Path.Combine(root, dataset.Name)));
        string? found = searched.FirstOrDefault(IdxDirectory.HasImages);
        if (found is not null)
        {
            return Named(IdxDirectory.Load(spec, found, dataset.ClassNames), dataset.Name);
        }

        // 2. Download into DATAROOT/NAME, or the cache.
        string target = string.IsNullOrWhiteSpace(options.DataRoot)
            ? Path.Combine(sources.CacheRoot, dataset.Name)
            : Path.Combine(options.DataRoot, dataset.Name);
        string? failure = options.AllowDownload
            ? new DatasetDownloader(options.Progress).TryDownload(dataset, sources.Mirrors ?? dataset.Mirrors, target)
            : "downloading is turned off";
        if (failure is null)
        {
            return Named(IdxDirectory.Load(spec, target, dataset.ClassNames), dataset.Name);
        }

        // 3. One line: what was searched, why the download failed, how to get the files.
        string files = string.Join(", ", dataset.Files.Select(f => f.Name));
        string hint = dataset.InstallHint is null ? "" : $"; or {dataset.InstallHint}";
        throw new InvalidInputException(
            $"dataset '{dataset.Name}' not found (searched {string.Join(", ", searched)}) and the download failed ({failure}); "
            + $"put the four IDX files ({files}) in {Path.Combine(sources.CacheRoot, dataset.Name)} or pass --data-root DIR{hint}");
    }
}
