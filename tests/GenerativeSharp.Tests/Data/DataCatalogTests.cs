using GenerativeSharp.Data;
using TorchSharp;

namespace GenerativeSharp.Tests.Data;

public sealed class DataCatalogTests : IDisposable
{
    private static readonly DataOptions Options = new() { AllowDownload = false };

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Directory_loads_images_as_N_1_H_W_in_unit_interval_with_labels()
    {
        WriteMnistLayout(_dir.Path, train: 6, test: 2, labels: true);

        using DataSplits data = DataCatalog.Load(_dir.Path, Options);

        Assert.True(data.Description.IsGrey);
        Assert.Equal(ValueKind.EightBit, data.Description.Values);
        Assert.Equal(Path.GetFullPath(_dir.Path), data.Source);
        Assert.Equal(_dir.Path, data.Spec);
        Assert.Null(data.Toy);
        Assert.Equal([1L, 3, 4], data.EventShape);
        Assert.Equal([6L, 1, 3, 4], data.Train.Examples.shape);
        Assert.Equal([2L, 1, 3, 4], data.Test.Examples.shape);
        Assert.Equal(torch.ScalarType.Float32, data.Train.Examples.dtype);
        Assert.Equal(0f, data.Train.Examples.min().item<float>());
        Assert.Equal(1f, data.Train.Examples.max().item<float>());
        Assert.Equal(7f / 255f, data.Train.Examples[0, 0, 0, 1].item<float>());
        Assert.Equal(6, data.Train.Count);
        Assert.NotNull(data.Train.Labels);
        Assert.Equal(torch.ScalarType.Int64, data.Train.Labels!.dtype);
        Assert.Equal([0L, 1, 2, 3, 4, 5], data.Train.Labels.data<long>().ToArray());
    }

    [Fact]
    public void Directory_without_label_files_has_null_labels()
    {
        WriteMnistLayout(_dir.Path, train: 3, test: 2, labels: false);

        using DataSplits data = DataCatalog.Load(_dir.Path, Options);

        Assert.Null(data.Train.Labels);
        Assert.Null(data.Test.Labels);
    }

    [Fact]
    public void Directory_missing_image_files_names_directory_and_expected_files()
    {
        var e = Assert.Throws<InvalidInputException>(() => DataCatalog.Load(_dir.Path, Options));

        Assert.StartsWith(_dir.Path, e.Message);
        Assert.Contains("train-images-idx3-ubyte[.gz]", e.Message);
        Assert.Contains("t10k-images-idx3-ubyte[.gz]", e.Message);
    }

    [Fact]
    public void Label_count_mismatch_names_both_files_and_counts()
    {
        WriteMnistLayout(_dir.Path, train: 4, test: 2, labels: true);
        IdxFile.Write(_dir.File("train-labels-idx1-ubyte.gz"), [3], [0, 1, 2], gzip: true);

        var e = Assert.Throws<InvalidInputException>(() => DataCatalog.Load(_dir.Path, Options));

        Assert.Contains("train-labels-idx1-ubyte.gz: has 3 labels", e.Message);
        Assert.Contains("train-images-idx3-ubyte.gz has 4 images", e.Message);
    }

    [Fact]
    public void Images_that_are_not_3_D_are_rejected()
    {
        WriteMnistLayout(_dir.Path, train: 2, test: 2, labels: false);
        IdxFile.Write(_dir.File("t10k-images-idx3-ubyte"), [2, 12], new byte[24], gzip: false);

        var e = Assert.Throws<InvalidInputException>(() => DataCatalog.Load(_dir.Path, Options));

        Assert.Contains("expected a 3-D image array [N, H, W], found 2-D [2, 12]", e.Message);
    }

    [Fact]
    public void Unknown_spec_lists_what_is_accepted()
    {
        var e = Assert.Throws<InvalidInputException>(() => DataCatalog.Load("cifar-100", Options));

        Assert.Equal(
            "unknown dataset 'cifar-100': expected fashion-mnist, mnist, mnist-10k (embedded), toy:NAME (checkerboard, 8gaussians, moons, "
            + "circles, swissroll, 2spirals, rings), a directory of IDX files, an image folder or edges:DATA",
            e.Message);
    }

    [Fact]
    public void Unknown_toy_lists_the_seven_names()
    {
        var e = Assert.Throws<InvalidInputException>(() => DataCatalog.Load("toy:pinwheel", Options));

        Assert.Contains("'pinwheel'", e.Message);
        Assert.Contains("checkerboard, 8gaussians, moons, circles, swissroll, 2spirals, rings", e.Message);
    }

    [Fact]
    public void Named_dataset_is_found_in_data_root_then_search_roots()
    {
        string inRoot = Path.Combine(_dir.Path, "root", "mnist");
        string inSearch = Path.Combine(_dir.Path, "search", "fashion-mnist");
        WriteMnistLayout(inRoot, train: 3, test: 1, labels: true);
        WriteMnistLayout(inSearch, train: 2, test: 1, labels: true);
        DatasetSources sources = Offline([Path.Combine(_dir.Path, "search")]);

        using DataSplits mnist = DataCatalog.Load("mnist", Options with { DataRoot = Path.Combine(_dir.Path, "root") }, sources);
        using DataSplits direct = DataCatalog.Load("mnist", Options with { DataRoot = inRoot }, sources);
        using DataSplits fashion = DataCatalog.Load("fashion-mnist", Options, sources);

        Assert.Equal(Path.GetFullPath(inRoot), mnist.Source);
        Assert.Equal(Path.GetFullPath(inRoot), direct.Source);
        Assert.Equal(Path.GetFullPath(inSearch), fashion.Source);
        Assert.Equal(2, fashion.Train.Count);
    }

    [Fact]
    public void Offline_download_fails_with_one_line_naming_paths_reason_and_remedy()
    {
        string searchRoot = Path.Combine(_dir.Path, "search");
        var progress = new StringWriter();
        var options = new DataOptions { DataRoot = Path.Combine(_dir.Path, "root"), Progress = progress };

        var e = Assert.Throws<InvalidInputException>(() => DataCatalog.Load("fashion-mnist", options, Offline([searchRoot])));

        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith("dataset 'fashion-mnist' not found", e.Message);
        Assert.Contains(Path.Combine(_dir.Path, "root", "fashion-mnist"), e.Message);
        Assert.Contains(Path.Combine(searchRoot, "fashion-mnist"), e.Message);
        Assert.Contains("http://127.0.0.1:9/train-images-idx3-ubyte.gz", e.Message);
        Assert.Contains(Path.Combine(_dir.Path, "cache", "fashion-mnist"), e.Message);
        Assert.Contains("apt install dataset-fashion-mnist", e.Message);
        Assert.Contains("downloading http://127.0.0.1:9/train-images-idx3-ubyte.gz", progress.ToString());
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir.Path, "root", "fashion-mnist")));
    }

    [Fact]
    public void Download_turned_off_says_so()
    {
        var e = Assert.Throws<InvalidInputException>(() => DataCatalog.Load("mnist", Options, Offline([])));

        Assert.Contains("downloading is turned off", e.Message);
        Assert.DoesNotContain("apt install", e.Message);
    }

    [Fact]
    public void Toy_spec_generates_seeded_train_and_fixed_test_points()
    {
        var options = new DataOptions { Seed = 3, ToyTrainCount = 1000, ToyTestCount = 500 };

        using DataSplits a = DataCatalog.Load("toy:moons", options);
        using DataSplits b = DataCatalog.Load("toy:moons", options);
        using DataSplits c = DataCatalog.Load("toy:moons", options with { Seed = 4 });

        Assert.True(a.Description.IsVector);
        Assert.Equal(ValueKind.Continuous, a.Description.Values);
        Assert.Equal("toy:moons (generated)", a.Source);
        Assert.Equal("moons", a.Toy?.Name);
        Assert.Equal([2L], a.EventShape);
        Assert.Equal([1000L, 2], a.Train.Examples.shape);
        Assert.Equal([500L, 2], a.Test.Examples.shape);
        Assert.Null(a.Train.Labels);
        Assert.True(a.Train.Examples.equal(b.Train.Examples).all().item<bool>());
        Assert.False(a.Train.Examples.equal(c.Train.Examples).all().item<bool>());
        Assert.True(a.Test.Examples.equal(c.Test.Examples).all().item<bool>());
    }

    [Fact]
    public void Named_datasets_are_listed()
    {
        Assert.Equal(["fashion-mnist", "mnist"], DataCatalog.NamedDatasets);
    }

    private DatasetSources Offline(IReadOnlyList<string> roots) =>
        new(roots, Path.Combine(_dir.Path, "cache"), ["http://127.0.0.1:9/"]);

    // Train images gzip, test images plain; pixel i of image n is (n * 12 + i) * 7 mod 256, and
    // image 0's first pixel 0 and last pixel 255 so the range is exactly [0, 1].
    internal static void WriteMnistLayout(string directory, int train, int test, bool labels)
    {
        Directory.CreateDirectory(directory);
        WriteSplit(Path.Combine(directory, "train-images-idx3-ubyte.gz"), Path.Combine(directory, "train-labels-idx1-ubyte.gz"), train, labels, gzip: true);
        WriteSplit(Path.Combine(directory, "t10k-images-idx3-ubyte"), Path.Combine(directory, "t10k-labels-idx1-ubyte"), test, labels, gzip: false);
    }

    private static void WriteSplit(string images, string labelsPath, int n, bool labels, bool gzip)
    {
        byte[] pixels = Enumerable.Range(0, n * 12).Select(i => (byte)(i * 7 % 256)).ToArray();
        pixels[11] = 255;
        IdxFile.Write(images, [n, 3, 4], pixels, gzip);
        if (labels)
        {
            IdxFile.Write(labelsPath, [n], Enumerable.Range(0, n).Select(i => (byte)(i % 10)).ToArray(), gzip);
        }
    }
}
