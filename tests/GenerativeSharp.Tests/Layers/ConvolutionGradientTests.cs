using GenerativeSharp.Bijectors;
using GenerativeSharp.Data;
using GenerativeSharp.Evaluation;
using GenerativeSharp.Layers;
using GenerativeSharp.Models.Autoregressive;
using GenerativeSharp.Recipes;
using GenerativeSharp.Tests.TestSupport;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Layers;

/// <summary>
/// Every convolution's float32 gradients (with respect to its input and its weights) equal the
/// float64 ones to 1e-4 relative, on the machine the tests run on. libtorch computes float64
/// convolutions without oneDNN, so the reference does not share the float32 kernels; libtorch
/// 2.10's oneDNN backward pass was wrong on an AMD EPYC (Zen 5) for output-channel counts that are
/// not multiples of 16. New allocations are filled with NaN meanwhile (<see cref="AllocatorJunkFill"/>),
/// so a kernel that reads memory it never wrote fails here on any machine.
/// </summary>
[Collection(SerialNativeCollection.Name)]
public sealed class ConvolutionGradientTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<bool, bool> Layouts => new() { { false, false }, { false, true }, { true, false }, { true, true } };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Small_output_channel_counts_have_float64_gradients(bool transposed, bool channelsLast)
    {
        using var junk = new AllocatorJunkFill();
        var failures = new List<string>();
        foreach (long inputs in new long[] { 1, 3, 8, 64 })
            for (long outputs = 1; outputs <= 17; outputs++)
            {
                foreach (var (kernel, stride, padding, side) in new (long, long, long, long)[] { (3, 1, 1, 7), (1, 1, 0, 14), (4, 2, 1, 6) })
                {
                    using var layer = Build(transposed, inputs, outputs, kernel, stride, padding, channelsLast);
                    string? failure = GradientCheck.Compare(layer, x => layer.call(x), [4, inputs, side, side], channelsLast);
                    if (failure is not null) failures.Add($"{Describe(transposed, inputs, outputs, kernel, stride)} at {side}x{side}: {failure}");
                }
            }
        Assert.True(failures.Count == 0, $"{failures.Count} convolutions have wrong float32 gradients (junk fill {(junk.Active ? "on" : "unavailable")}):\n" + string.Join("\n", failures.Take(20)));
    }

    public static TheoryData<string, string> ImageModels => new()
    {
        { "glow", "" }, { "glow", "coupling=spline" }, { "realnvp", "" }, { "pixelcnn", "" }, { "pixelcnn", "likelihood=logisticmixture" },
        { "pixelcnn", "likelihood=softmax256" }, { "gated-pixelcnn", "classes=10" }, { "dcgan", "" }, { "wgan-gp", "" },
        { "dcgan", "spectral_norm=true" }, { "cgan", "" }, { "vae", "network=conv" },
    };

    [Theory]
    [MemberData(nameof(ImageModels))]
    public void Every_convolution_of_an_image_model_has_float64_gradients(string name, string setting)
    {
        using var junk = new AllocatorJunkFill();
        IModelRecipe recipe = ModelCatalog.Get(name);
        var settings = setting.Length == 0 ? new Dictionary<string, string>() : new Dictionary<string, string> { [setting.Split('=')[0]] = setting.Split('=')[1] };
        string options = recipe.ConfigureOptions(DataDescription.Images([1, 28, 28], DataDescription.NumberedClasses(10)), settings);
        using ModelInstance model = ModelInstance.Create(recipe, options, 0, CPU);
        var seen = ConvolutionsOf(model.Module);
        Assert.NotEmpty(seen);
        var failures = new List<string>();
        foreach (var (layer, shape, channelsLast) in seen)
        {
            string? failure = layer is InvertibleConv1x1 bijector
                ? GradientCheck.Compare(layer, x => bijector.Inverse(x).Output, shape, channelsLast)
                : GradientCheck.Compare(layer, x => ((nn.Module<Tensor, Tensor>)layer).call(x), shape, channelsLast);
            if (failure is not null) failures.Add($"{layer.GetType().Name} {string.Join("x", layer.parameters().First().shape)} on [{string.Join(", ", shape)}]: {failure}");
        }
        Assert.True(failures.Count == 0, $"{name} {setting}: {failures.Count} of {seen.Count} convolutions have wrong float32 gradients:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void The_feature_network_has_float64_gradients()
    {
        using var junk = new AllocatorJunkFill();
        using var network = new FeatureClassifier();
        var seen = ConvolutionsOf(network);
        Assert.Equal(3 * 3, seen.Count);
        foreach (var (layer, shape, channelsLast) in seen)
            Assert.Null(GradientCheck.Compare(layer, x => ((nn.Module<Tensor, Tensor>)layer).call(x), shape, channelsLast));
    }

    [Fact]
    public void Padding_output_channels_changes_neither_values_nor_gradients()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(3);
        Tensor x = randn([3, 5, 9, 9], generator: generator).requires_grad_(true);
        Tensor w = randn([6, 5, 3, 3], generator: generator).requires_grad_(true);
        Tensor b = randn([6], generator: generator).requires_grad_(true);
        Tensor padded = ChannelPaddedConvolution.Conv2d(x, w, b, [2, 2], [1, 1]);
        var (gx, gw, gb) = Gradients(padded, x, w, b);
        Tensor plain = nn.functional.conv2d(x.to(float64), w.to(float64), b.to(float64), strides: [2, 2], padding: [1, 1]);
        var (ex, ew, eb) = Gradients(plain, x, w, b);
        Assert.Equal(plain.shape, padded.shape);
        Assert.True(padded.to(float64).allclose(plain, rtol: 1e-5, atol: 1e-5));
        Assert.True(gx.allclose(ex, rtol: 1e-5, atol: 1e-5) && gw.allclose(ew, rtol: 1e-5, atol: 1e-5) && gb.allclose(eb, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void Layers_keep_nn_conv2d_names_and_initialisation()
    {
        nn.Module<Tensor, Tensor> ours, theirs, oursT, theirsT;
        lock (GenerativeSharp.Runtime.GlobalRandom.Lock)
        {
            manual_seed(11);
            ours = new Convolution2d(3, 5, 4, stride: 2, padding: 1);
            oursT = new TransposedConvolution2d(6, 3, 4, stride: 2, padding: 1);
            manual_seed(11);
            theirs = nn.Conv2d(3, 5, 4, stride: 2, padding: 1);
            theirsT = nn.ConvTranspose2d(6, 3, 4, stride: 2, padding: 1);
        }
        foreach (var (a, b) in new[] { (ours, theirs), (oursT, theirsT) })
        {
            var expected = b.state_dict();
            var actual = a.state_dict();
            Assert.Equal(expected.Keys.OrderBy(k => k), actual.Keys.OrderBy(k => k));
            foreach (string key in expected.Keys)
                Assert.True(expected[key].equal(actual[key]).all().item<bool>(), $"{key} differs from nn's initialisation");
            using var x = randn(2, a == ours ? 3 : 6, 8, 8);
            Assert.True(a.call(x).allclose(b.call(x), rtol: 1e-5, atol: 1e-5));
        }
    }

    private static (Tensor, Tensor, Tensor) Gradients(Tensor y, Tensor x, Tensor w, Tensor b)
    {
        Tensor[] g = torch.autograd.grad([y.square().sum()], [x, w, b]).ToArray();
        return (g[0].to(float64), g[1].to(float64), g[2].to(float64));
    }

    private static nn.Module<Tensor, Tensor> Build(bool transposed, long inputs, long outputs, long kernel, long stride, long padding, bool channelsLast)
    {
        nn.Module<Tensor, Tensor> layer = transposed
            ? new TransposedConvolution2d(inputs, outputs, kernel, stride, padding)
            : new Convolution2d(inputs, outputs, kernel, stride, padding);
        if (channelsLast) GenerativeSharp.Runtime.ConvolutionLayout.Prefer(layer, CPU);
        return layer;
    }

    private static string Describe(bool transposed, long inputs, long outputs, long kernel, long stride) =>
        $"{(transposed ? "transposed " : "")}{inputs}->{outputs} {kernel}x{kernel}/{stride}";

    /// <summary>
    /// Every convolution of <paramref name="model"/> with the shapes it meets in a 28 x 28 model
    /// (sides 28, 14 and 7, batch 2; channels-last where its weight is): the layer and its input shape.
    /// </summary>
    private static List<(nn.Module Layer, long[] Shape, bool ChannelsLast)> ConvolutionsOf(nn.Module model)
    {
        var found = new List<(nn.Module, long[], bool)>();
        foreach (nn.Module module in model.modules())
        {
            Tensor? weight = module switch
            {
                Convolution2d or MaskedConv2d => module.parameters().First(),                  // [O, I, kH, kW]
                TransposedConvolution2d => module.parameters().First().transpose(0, 1),       // [I, O, kH, kW] -> [O, I, ...]
                InvertibleConv1x1 => module.parameters().Last().diag().unsqueeze(-1).unsqueeze(-1),   // [C] -> [C, C, 1, 1]
                _ => null,
            };
            if (weight is null) continue;
            bool channelsLast = module.parameters().First() is { } w && w.dim() == 4 && w.stride(1) == 1 && w.shape[1] > 1;
            foreach (long side in new long[] { 28, 14, 7 })
                found.Add((module, [2, weight.shape[1], side, side], channelsLast));
        }
        return found;
    }
}
