using GenerativeSharp.Data;
using GenerativeSharp.Evaluation;
using GenerativeSharp.Models;
using GenerativeSharp.Persistence;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Evaluation;

public sealed class FeatureNetworkTests
{
    [Fact]
    public void Versioned_weights_are_small_and_record_their_command_and_accuracy()
    {
        foreach (var (file, minimum) in new[] { ("fmnist-cnn.safetensors", 0.90), ("mnist-cnn.safetensors", 0.95), ("emoji-cnn-32.safetensors", 0.80), ("emoji-cnn-64.safetensors", 0.80) })
        {
            string path = Path.Combine(RepositoryRoot.Path, "src", "GenerativeSharp", "Evaluation", "Weights", file);
            byte[] bytes = File.ReadAllBytes(path);
            Assert.True(bytes.Length < 640 * 1024, $"{file}: {bytes.Length} bytes");      // the 64 x 64 network has a fourth stage: 544 KB
            using SafeTensorsContent content = SafeTensorsFile.Read(bytes);
            Assert.StartsWith("gensharp features --data", content.Metadata["gensharp_command"]);
            Assert.True(double.Parse(content.Metadata["gensharp_test_accuracy"], System.Globalization.CultureInfo.InvariantCulture) >= minimum, file);
        }
    }

    [Fact]
    public void Real_images_score_near_the_floor_and_noise_far_from_it()
    {
        using DataSplits data = DataCatalog.Load("mnist-10k", new DataOptions());
        using var copier = new Replay(data.Train.Examples.narrow(0, 0, 2000));
        SampleQualityReport real = SampleMetrics.Quality(copier, data, data.Test.Examples, 2000, 0, CPU)!;
        using var noise = new Replay(rand([2000, 1, 28, 28], generator: new Generator(1)));
        SampleQualityReport bad = SampleMetrics.Quality(noise, data, data.Test.Examples, 2000, 0, CPU)!;
        Assert.Equal("MNIST-CNN", real.FeatureNetwork);
        Assert.Equal(1000, real.Samples);                                      // half of the 2,000 test digits: the floor's size
        Assert.Equal(1000, real.ReferenceExamples);
        Assert.Equal("FID (MNIST-CNN features, 1000 samples vs 1000 test images)", real.Label("FID"));
        Assert.Equal("FID real-vs-real floor (MNIST-CNN features, 1000 test images vs 1000 other test images)", real.FloorLabel("FID"));
        Assert.True(real.Model.Fid < 3 * real.Floor.Fid + 5, $"train images vs test: FID {real.Model.Fid}, floor {real.Floor.Fid}");
        Assert.True(bad.Model.Fid > 10 * real.Model.Fid, $"noise FID {bad.Model.Fid}");
        // Recall, not precision: noise features fall in a small region that the k-NN balls of a few real
        // outliers cover (a known weakness of the metric), but they cover none of the real images.
        Assert.True(real.Model.PrecisionRecall.Recall > 0.6 && bad.Model.PrecisionRecall.Recall < 0.1,
            $"recall {real.Model.PrecisionRecall.Recall} (real), {bad.Model.PrecisionRecall.Recall} (noise); FID {real.Model.Fid} vs {bad.Model.Fid}, floor {real.Floor.Fid}");
    }

    /// <summary>A "model" that returns stored images in order.</summary>
    private sealed class Replay(Tensor images) : IGenerativeModel, IDisposable
    {
        private long next;

        public long[] EventShape => [1, 28, 28];

        public Tensor Sample(int count, Generator? generator = null)
        {
            Tensor batch = images.narrow(0, next, count).clone();
            next += count;
            return batch;
        }

        public void Dispose() => images.Dispose();
    }
}
