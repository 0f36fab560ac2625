using GenerativeSharp.Data;
using GenerativeSharp.Evaluation;
using GenerativeSharp.Persistence;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Evaluation;

public sealed class FeatureClassifierShapeTests
{
    /// <summary>A fixed input that needs no random generator: [4, 1, 28, 28] in [0, 1].</summary>
    private static Tensor FixedGreyInput()
    {
        var pixels = new float[4 * 28 * 28];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (float)((Math.Sin(i * 0.37) * Math.Cos(i * 0.011) + 1) / 2);
        return tensor(pixels, new long[] { 4, 1, 28, 28 });
    }

    [Fact]
    public void The_embedded_grey_networks_give_the_features_they_gave_before_colour_inputs()
    {
        // Captured with the [1, 28, 28]-only FeatureClassifier (commit cca516b) on this input: the
        // nonzero entries among the first features of image 0, and the sum over all 4 x 128 features.
        // On the capturing machine the new module gave bit-identical features (same SHA-256 of the bytes).
        var expected = new Dictionary<string, (double Sum, (int Index, float Value)[] Values)>
        {
            ["FMNIST-CNN"] = (362.8944916129112, [(0, 1.0672858f), (1, 3.971308f), (2, 0.10917768f), (4, 1.4956903f), (6, 2.0257375f),
                (16, 4.1780815f), (18, 2.8782666f), (21, 3.5395818f), (22, 5.863737f), (25, 3.0002708f), (27, 1.2689217f), (32, 3.8856063f)]),
            ["MNIST-CNN"] = (1061.671679392457, [(0, 4.2748127f), (1, 7.9585857f), (2, 3.8120627f), (5, 6.516959f), (7, 0.42907274f),
                (11, 4.5239797f), (14, 2.210504f), (16, 0.9245955f), (18, 0.1046983f), (22, 5.133794f), (24, 3.426252f), (25, 7.0207767f)]),
        };
        using Tensor x = FixedGreyInput();
        foreach (FeatureNetworkInfo info in new[] { FeatureNetworks.FashionMnist, FeatureNetworks.Mnist })
        {
            using FeatureClassifier network = info.Load();
            Assert.Equal([1L, 28, 28], network.InputShape);
            Assert.Equal(10, network.Classes);
            using Tensor features = network.FeaturesOf(x, CPU);
            float[] values = features.data<float>().ToArray();
            var (sum, firsts) = expected[info.Name];
            Assert.Equal(sum, values.Sum(v => (double)v), 3);
            foreach (var (index, value) in firsts)
                Assert.True(Math.Abs(values[index] - value) <= 1e-5 * (1 + Math.Abs(value)), $"{info.Name} feature {index}: {values[index]} vs {value}");
        }
    }

    [Fact]
    public void The_grey_28_network_keeps_its_parameter_names_and_shapes()
    {
        using var network = new FeatureClassifier();
        var shapes = network.state_dict().ToDictionary(p => p.Key, p => string.Join("x", p.Value.shape));
        Assert.Equal(new Dictionary<string, string>
        {
            ["conv1.weight"] = "16x1x3x3", ["conv1.bias"] = "16", ["conv2.weight"] = "32x16x3x3", ["conv2.bias"] = "32",
            ["conv3.weight"] = "64x32x3x3", ["conv3.bias"] = "64", ["hidden.weight"] = "128x576", ["hidden.bias"] = "128",
            ["output.weight"] = "10x128", ["output.bias"] = "10",
        }, shapes);
        using var big = new FeatureClassifier(3, 64, 7);
        Assert.Contains("conv4.weight", big.state_dict().Keys);
        Assert.Equal([7L, 128], big.state_dict()["output.weight"].shape);
    }

    [Theory]
    [InlineData(1, 32)]
    [InlineData(3, 28)]
    [InlineData(3, 64)]
    public void Every_supported_shape_gives_128_features(int channels, int side)
    {
        using var network = new FeatureClassifier(channels, side, 10);
        using Tensor x = rand([2, channels, side, side], generator: new Generator(1));
        using Tensor features = network.FeaturesOf(x, CPU);
        Assert.Equal([2L, FeatureClassifier.FeatureSize], features.shape);
        using Tensor wrong = zeros(2, channels, side + 4, side + 4);
        Assert.Throws<ArgumentException>(() => network.Features(wrong));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FeatureClassifier(2, 32));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FeatureClassifier(3, 48));
    }

    [Fact]
    public void A_colour_network_trains_and_round_trips_with_its_metadata()
    {
        using var directory = new TempDirectory();
        using TensorDataset train = ColourBlobs(96, seed: 1), test = ColourBlobs(32, seed: 2);
        FeatureClassifierResult result = FeatureClassifierTraining.Train(train, test, 4, [3, 32, 32], epochs: 3, seed: 0, CPU,
            TextWriter.Null, batchSize: 16, learningRate: 3e-3);
        using FeatureClassifier network = result.Network;
        Assert.True(result.TestAccuracy > 0.5, $"accuracy {result.TestAccuracy} on 4 colour classes");
        string path = directory.File("colour.safetensors");
        network.Save(path, new Dictionary<string, string> { ["gensharp_command"] = "test" });

        byte[] bytes = File.ReadAllBytes(path);
        using (SafeTensorsContent content = SafeTensorsFile.Read(bytes))
        {
            Assert.Equal("3,32,32", content.Metadata[FeatureClassifier.InputShapeKey]);
            Assert.Equal("4", content.Metadata[FeatureClassifier.ClassesKey]);
            Assert.Equal("test", content.Metadata["gensharp_command"]);
        }
        using FeatureClassifier loaded = FeatureClassifier.Load(bytes);
        Assert.Equal([3L, 32, 32], loaded.InputShape);
        Assert.Equal(4, loaded.Classes);
        using Tensor before = network.FeaturesOf(test.Examples, CPU), after = loaded.FeaturesOf(test.Examples, CPU);
        Assert.True(before.allclose(after, rtol: 0, atol: 0), "the loaded network gives the saved one's features");
        Assert.Equal(result.TestAccuracy, FeatureClassifierTraining.Accuracy(loaded, test, CPU));
    }

    [Fact]
    public void Training_refuses_shapes_the_network_does_not_take()
    {
        using TensorDataset data = new(rand([8, 3, 12, 12], generator: new Generator(0)), zeros(8, dtype: ScalarType.Int64));
        Assert.Throws<InvalidInputException>(() => FeatureClassifierTraining.Train(data, data, 2, [3, 12, 12], 1, 0, CPU, TextWriter.Null));
    }

    /// <summary>Colour 32x32 images of 4 classes: a red, green, blue or yellow square at a jittered place on grey noise.</summary>
    internal static TensorDataset ColourBlobs(int count, long seed)
    {
        var random = new Random((int)seed);
        var pixels = new float[count * 3 * 32 * 32];
        var labels = new long[count];
        float[][] colours = [[0.9f, 0.1f, 0.1f], [0.1f, 0.8f, 0.1f], [0.1f, 0.2f, 0.9f], [0.9f, 0.9f, 0.1f]];
        for (int n = 0; n < count; n++)
        {
            int kind = n % 4, top = random.Next(4, 16), left = random.Next(4, 16);
            labels[n] = kind;
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < 32; y++)
                    for (int x = 0; x < 32; x++)
                    {
                        bool inside = y >= top && y < top + 12 && x >= left && x < left + 12;
                        float noise = (float)random.NextDouble() * 0.2f;
                        pixels[((n * 3 + c) * 32 + y) * 32 + x] = inside ? colours[kind][c] : 0.4f + noise;
                    }
        }
        return new TensorDataset(tensor(pixels, new long[] { count, 3, 32, 32 }), tensor(labels));
    }
}
