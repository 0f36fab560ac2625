using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Autoregressive;
using GenerativeSharp.Recipes;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Models.Autoregressive;

/// <summary>
/// Grey-scale [1, H, W] PixelCNNs must not change when colour support is added: the same parameter
/// names, shapes and (from the same seed) initial values, so old checkpoints load and old seeds
/// give old models; the same log-probabilities and the same seeded samples. The expected values
/// were captured from the grey-scale-only code (commit f029ea8) before colour was added.
/// </summary>
public sealed class GreyPixelCnnUnchangedTests
{
    private sealed record Fingerprint((string Name, long[] Shape, float First, float Last)[] Parameters, float[] LogProb, double SampleChecksum);

    [Theory]
    [InlineData("pixelcnn", "softmax256")]
    [InlineData("pixelcnn", "bernoulli")]
    [InlineData("gated-pixelcnn", "logisticmixture")]
    [InlineData("gated-pixelcnn", "bernoulli")]
    public void Grey_scale_models_keep_their_parameters_log_probabilities_and_samples(string name, string likelihood)
    {
        (string, string)[] settings = (name, likelihood) switch
        {
            ("pixelcnn", "softmax256") => [("channels", "4"), ("blocks", "2"), ("likelihood", "softmax256")],
            ("pixelcnn", _) => [("channels", "4"), ("blocks", "1")],
            (_, "logisticmixture") => [("channels", "6"), ("layers", "3"), ("classes", "2"), ("likelihood", "logisticmixture"), ("mixtures", "2")],
            _ => [("channels", "6"), ("layers", "2")],
        };
        Fingerprint expected = (name, likelihood) switch
        {
            ("pixelcnn", "softmax256") => PixelCnnSoftmax,
            ("pixelcnn", _) => PixelCnnBernoulli,
            (_, "logisticmixture") => GatedLogistic,
            _ => GatedBernoulli,
        };
        IModelRecipe recipe = ModelCatalog.Get(name);
        string options = recipe.ConfigureOptions(DataDescription.FromShape([1, 5, 6]), settings.ToDictionary(s => s.Item1, s => s.Item2));
        using var model = ModelInstance.Create(recipe, options, 2, CPU);

        var parameters = model.Module.named_parameters().ToArray();
        Assert.Equal(expected.Parameters.Select(p => p.Name), parameters.Select(p => p.name));
        foreach (var ((pName, shape, first, last), (_, p)) in expected.Parameters.Zip(parameters))
        {
            Assert.Equal(shape, p.shape);
            float[] values = p.detach().flatten().data<float>().ToArray();
            Assert.True(values[0] == first && values[^1] == last, $"{pName} starts {values[0]} and ends {values[^1]}; expected {first} and {last}");
        }

        var pixel = (PixelAutoregressiveModel)model.Module;
        using var g = new Generator(11);
        using var x = likelihood == "bernoulli" ? rand([3, 1, 5, 6], generator: g).round() : rand([3, 1, 5, 6], generator: g).mul(255).round().div(255);
        using var labels = pixel.Classes > 0 ? tensor(new long[] { 0, 1, 1 }) : null;
        using (no_grad())
        {
            float[] logProb = pixel.LogProb(x, labels).data<float>().ToArray();
            for (int b = 0; b < 3; b++)
                Assert.True(Math.Abs(logProb[b] - expected.LogProb[b]) < 1e-3, $"log p(x_{b}) = {logProb[b]}, was {expected.LogProb[b]}");
        }

        using var g2 = new Generator(4);
        using var sample = model.Model.Sample(2, g2);
        using var weights = arange(sample.numel(), dtype: ScalarType.Float64).view(sample.shape);
        double checksum = sample.mul(255).round().to(ScalarType.Float64).mul(weights).sum().item<double>();
        Assert.Equal(expected.SampleChecksum, checksum);
    }

    // pixelcnn softmax256
    private static readonly Fingerprint PixelCnnSoftmax = new(
        [
            ("input.weight", new long[] { 8, 1, 7, 7 }, 0.032770023f, 0.08982628f),
            ("input.bias", new long[] { 8 }, -0.13405462f, 0.07654151f),
            ("blocks.0.reduce.weight", new long[] { 4, 8, 1, 1 }, -0.13335149f, 0.3053406f),
            ("blocks.0.reduce.bias", new long[] { 4 }, 0.23796645f, 0.28295413f),
            ("blocks.0.spatial.weight", new long[] { 4, 4, 3, 3 }, 0.0666589f, 0.042024594f),
            ("blocks.0.spatial.bias", new long[] { 4 }, 0.05018115f, 0.0050425134f),
            ("blocks.0.expand.weight", new long[] { 8, 4, 1, 1 }, 0.31943667f, 0.47163874f),
            ("blocks.0.expand.bias", new long[] { 8 }, -0.17157352f, 0.2100367f),
            ("blocks.1.reduce.weight", new long[] { 4, 8, 1, 1 }, 0.05724861f, 0.166205f),
            ("blocks.1.reduce.bias", new long[] { 4 }, 0.13823609f, 0.14953966f),
            ("blocks.1.spatial.weight", new long[] { 4, 4, 3, 3 }, 0.12605256f, -0.087614976f),
            ("blocks.1.spatial.bias", new long[] { 4 }, -0.1326534f, 0.10170573f),
            ("blocks.1.expand.weight", new long[] { 8, 4, 1, 1 }, 0.49278498f, 0.48806357f),
            ("blocks.1.expand.bias", new long[] { 8 }, -0.44848675f, -0.22457594f),
            ("hidden.weight", new long[] { 8, 8, 1, 1 }, 0.09734978f, -0.12768628f),
            ("hidden.bias", new long[] { 8 }, 0.29825523f, -0.17573912f),
            ("output.weight", new long[] { 256, 8, 1, 1 }, 0.29791325f, 0.12253943f),
            ("output.bias", new long[] { 256 }, 0.18489005f, 0.14795625f),
        ],
        [-166.5996f, -166.95644f, -165.58751f],
        219524);

    // pixelcnn bernoulli
    private static readonly Fingerprint PixelCnnBernoulli = new(
        [
            ("input.weight", new long[] { 8, 1, 7, 7 }, 0.032770023f, 0.08982628f),
            ("input.bias", new long[] { 8 }, -0.13405462f, 0.07654151f),
            ("blocks.0.reduce.weight", new long[] { 4, 8, 1, 1 }, -0.13335149f, 0.3053406f),
            ("blocks.0.reduce.bias", new long[] { 4 }, 0.23796645f, 0.28295413f),
            ("blocks.0.spatial.weight", new long[] { 4, 4, 3, 3 }, 0.0666589f, 0.042024594f),
            ("blocks.0.spatial.bias", new long[] { 4 }, 0.05018115f, 0.0050425134f),
            ("blocks.0.expand.weight", new long[] { 8, 4, 1, 1 }, 0.31943667f, 0.47163874f),
            ("blocks.0.expand.bias", new long[] { 8 }, -0.17157352f, 0.2100367f),
            ("hidden.weight", new long[] { 8, 8, 1, 1 }, 0.05724861f, -0.2756854f),
            ("hidden.bias", new long[] { 8 }, -0.036430135f, -0.21560094f),
            ("output.weight", new long[] { 1, 8, 1, 1 }, 0.29145885f, 0.19970323f),
            ("output.bias", new long[] { 1 }, -0.33492208f, -0.33492208f),
        ],
        [-21.974499f, -19.693022f, -20.660738f],
        156825);

    // gated-pixelcnn logisticmixture
    private static readonly Fingerprint GatedLogistic = new(
        [
            ("layers.0.vertical.weight", new long[] { 12, 1, 4, 7 }, 0.043350663f, 0.0077857156f),
            ("layers.0.vertical.bias", new long[] { 12 }, 0.14892845f, 0.0041471925f),
            ("layers.0.horizontal.weight", new long[] { 12, 1, 1, 4 }, -0.24184203f, -0.44733614f),
            ("layers.0.horizontal.bias", new long[] { 12 }, 0.17894167f, -0.45046407f),
            ("layers.0.link.weight", new long[] { 12, 12, 1, 1 }, 0.26909086f, 0.036065396f),
            ("layers.0.link.bias", new long[] { 12 }, 0.21947947f, -0.22198878f),
            ("layers.0.horizontalOut.weight", new long[] { 6, 6, 1, 1 }, -0.35205978f, 0.27162606f),
            ("layers.0.horizontalOut.bias", new long[] { 6 }, -0.030842315f, -0.1497584f),
            ("layers.0.classBias.weight", new long[] { 2, 24 }, 0f, 0f),
            ("layers.1.vertical.weight", new long[] { 12, 6, 2, 3 }, -0.13932244f, 0.05231307f),
            ("layers.1.vertical.bias", new long[] { 12 }, -0.083125696f, 0.030179858f),
            ("layers.1.horizontal.weight", new long[] { 12, 6, 1, 2 }, 0.0720811f, -0.14899805f),
            ("layers.1.horizontal.bias", new long[] { 12 }, 0.052388947f, 0.2621203f),
            ("layers.1.link.weight", new long[] { 12, 12, 1, 1 }, 0.14587326f, -0.18800993f),
            ("layers.1.link.bias", new long[] { 12 }, -0.027420085f, -0.005821675f),
            ("layers.1.horizontalOut.weight", new long[] { 6, 6, 1, 1 }, -0.3405282f, 0.19801377f),
            ("layers.1.horizontalOut.bias", new long[] { 6 }, -0.0063054413f, 0.16047317f),
            ("layers.1.classBias.weight", new long[] { 2, 24 }, 0f, 0f),
            ("layers.2.vertical.weight", new long[] { 12, 6, 2, 3 }, 0.10375117f, 0.12862383f),
            ("layers.2.vertical.bias", new long[] { 12 }, 0.015957078f, 0.12201353f),
            ("layers.2.horizontal.weight", new long[] { 12, 6, 1, 2 }, -0.0189828f, 0.14769687f),
            ("layers.2.horizontal.bias", new long[] { 12 }, 0.041156936f, -0.13920875f),
            ("layers.2.link.weight", new long[] { 12, 12, 1, 1 }, 0.16884172f, -0.08855256f),
            ("layers.2.link.bias", new long[] { 12 }, -0.07432443f, -0.2796181f),
            ("layers.2.horizontalOut.weight", new long[] { 6, 6, 1, 1 }, -0.047964774f, -0.37965763f),
            ("layers.2.horizontalOut.bias", new long[] { 6 }, 0.12772258f, 0.27094904f),
            ("layers.2.classBias.weight", new long[] { 2, 24 }, 0f, 0f),
            ("hidden.weight", new long[] { 12, 6, 1, 1 }, -0.36522543f, -0.21835107f),
            ("hidden.bias", new long[] { 12 }, -0.2815509f, 0.19782183f),
            ("output.weight", new long[] { 6, 12, 1, 1 }, 0.099316694f, -0.06553713f),
            ("output.bias", new long[] { 6 }, 0.2685059f, -0.28108102f),
        ],
        [-188.03485f, -187.41043f, -188.81174f],
        267554);

    // gated-pixelcnn bernoulli
    private static readonly Fingerprint GatedBernoulli = new(
        [
            ("layers.0.vertical.weight", new long[] { 12, 1, 4, 7 }, 0.043350663f, 0.0077857156f),
            ("layers.0.vertical.bias", new long[] { 12 }, 0.14892845f, 0.0041471925f),
            ("layers.0.horizontal.weight", new long[] { 12, 1, 1, 4 }, -0.24184203f, -0.44733614f),
            ("layers.0.horizontal.bias", new long[] { 12 }, 0.17894167f, -0.45046407f),
            ("layers.0.link.weight", new long[] { 12, 12, 1, 1 }, 0.26909086f, 0.036065396f),
            ("layers.0.link.bias", new long[] { 12 }, 0.21947947f, -0.22198878f),
            ("layers.0.horizontalOut.weight", new long[] { 6, 6, 1, 1 }, -0.35205978f, 0.27162606f),
            ("layers.0.horizontalOut.bias", new long[] { 6 }, -0.030842315f, -0.1497584f),
            ("layers.1.vertical.weight", new long[] { 12, 6, 2, 3 }, -0.02571108f, -0.13451903f),
            ("layers.1.vertical.bias", new long[] { 12 }, 0.032218337f, -0.091482505f),
            ("layers.1.horizontal.weight", new long[] { 12, 6, 1, 2 }, -0.07804277f, 0.020018108f),
            ("layers.1.horizontal.bias", new long[] { 12 }, -0.16797265f, -0.22722591f),
            ("layers.1.link.weight", new long[] { 12, 12, 1, 1 }, 0.023442315f, -0.0981903f),
            ("layers.1.link.bias", new long[] { 12 }, 0.019080842f, 0.05940516f),
            ("layers.1.horizontalOut.weight", new long[] { 6, 6, 1, 1 }, -0.040275585f, -0.26588622f),
            ("layers.1.horizontalOut.bias", new long[] { 6 }, -0.038777858f, 0.15859054f),
            ("hidden.weight", new long[] { 12, 6, 1, 1 }, 0.10297015f, 0.24803866f),
            ("hidden.bias", new long[] { 12 }, -0.058740377f, -0.24847609f),
            ("output.weight", new long[] { 1, 12, 1, 1 }, 0.1918186f, -0.26671746f),
            ("output.bias", new long[] { 1 }, 0.17970228f, 0.17970228f),
        ],
        [-20.323519f, -21.87471f, -21.000229f],
        189720);
}
