using GenerativeSharp.Data;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Data;

/// <summary><c>--data edges:SPEC</c>: any image data paired with its own edge maps.</summary>
public sealed class EdgeMapPairsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Edges_of_an_idx_directory_pair_each_edge_map_with_its_image_and_keep_the_labels()
    {
        string idx = SyntheticImages.WriteIdxDirectory(_dir.File("idx"), trainCount: 40, testCount: 12);
        using DataSplits images = DataCatalog.Load(idx, new DataOptions());
        using DataSplits edges = DataCatalog.Load("edges:" + idx, new DataOptions());

        Assert.Equal(new long[] { 1, 12, 12 }, edges.EventShape);
        Assert.Equal(ValueKind.Binary, edges.Description.Values);
        Assert.Equal(new long[] { 1, 12, 12 }, edges.Description.TargetShape);
        Assert.Equal(images.Description.ClassNames, edges.Description.ClassNames);
        Assert.Contains("edge maps (Canny", edges.Source);
        Assert.Null(edges.DatasetName);
        foreach (var (paired, plain) in new[] { (edges.Train, images.Train), (edges.Test, images.Test) })
        {
            Assert.True(paired.Targets!.eq(plain.Examples).all().item<bool>());                       // the targets are the images
            Assert.True(paired.Labels!.eq(plain.Labels!).all().item<bool>());
            using Tensor expected = new CannyEdges().Detect(plain.Examples);
            Assert.True(paired.Examples.eq(expected).all().item<bool>());                              // the inputs their edge maps
            using Tensor values = paired.Examples.unique().Item1;
            Assert.All(values.data<float>().ToArray(), v => Assert.True(v is 0 or 1));
        }
    }

    [Fact]
    public void Edges_refuse_a_target_folder_points_and_unknown_data_in_one_line()
    {
        string idx = SyntheticImages.WriteIdxDirectory(_dir.File("idx"), trainCount: 8, testCount: 4);
        var target = Assert.Throws<InvalidInputException>(() => DataCatalog.Load("edges:" + idx, new DataOptions { Target = idx }));
        Assert.Contains("--target is not taken", target.Message);
        var points = Assert.Throws<InvalidInputException>(() => DataCatalog.Load("edges:toy:moons", new DataOptions { ToyTrainCount = 10, ToyTestCount = 10 }));
        Assert.Contains("edge maps need images", points.Message);
        Assert.Throws<InvalidInputException>(() => DataCatalog.Load("edges:no-such-data", new DataOptions { AllowDownload = false }));
        Assert.DoesNotContain('\n', points.Message);
    }
}
