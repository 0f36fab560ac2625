using GenerativeSharp.Data;
using GenerativeSharp.Evaluation;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Variational;
using GenerativeSharp.Training;

namespace GenerativeSharp.Recipes;

/// <summary>
/// The DFC-VAE recipe (Hou et al. 2017, arXiv:1610.00291): the conv VAE with a feature perceptual loss at relu1, relu2
/// and relu3 of the embedded feature network that fits the data (FMNIST-CNN for Fashion-MNIST, EMOJI-CNN-32/64 for the
/// emoji images, chosen as eval chooses it), alpha = 1 on the KL and beta = 0.5 on the perceptual loss; Adam 5e-4,
/// batch 64 as in the paper.
/// </summary>
public sealed class DfcVaeRecipe : ModelRecipe<DfcVaeOptions, DfcVae>, IDataAwareRecipe
{
    public override ModelInfo Info { get; } = new(
        "dfc-vae", TaxonomyCell.Variational, "VAE", LikelihoodKind.None,
        "Deep feature consistent VAE (Hou et al. 2017): conv VAE with a feature perceptual loss");

    protected override IReadOnlyList<Setting> Setters { get; } =
    [
        new("features", "the network eval uses for the data", "embedded feature network of the perceptual loss (FMNIST-CNN, MNIST-CNN, EMOJI-CNN-32, EMOJI-CNN-64)",
            (o, v) => o with { FeatureNetwork = v.Trim() }),
        new("layers", "3", "feature stages in the loss: 1 (relu1), 2 (relu1, relu2) or 3 (relu1..relu3)", (o, v) => o with { Layers = SettingValue.Integer("layers", v, 1) }),
        new("hidden", "512", "dense width after the convolutions", (o, v) => o with { Hidden = SettingValue.Integer("hidden", v, 1) }),
        new("latent", "32", "latent dimension", (o, v) => o with { Latent = SettingValue.Integer("latent", v, 1) }),
        new("alpha", "1", "KL weight (the paper's alpha)", (o, v) => o with { Alpha = SettingValue.PositiveNumber("alpha", v) }),
        new("beta", "0.5", "perceptual-loss weight (the paper's beta)", (o, v) => o with { Beta = SettingValue.PositiveNumber("beta", v) }),
        new("pixel", "0", "weight of an extra pixel term, 1/2 the summed squared error", (o, v) => o with { Pixel = SettingValue.NonNegativeNumber("pixel", v) }),
        new("layer-mean", "false", "divide each layer's squared error by C*H*W as the paper does (false: sum it)",
            (o, v) => o with { LayerMean = SettingValue.Boolean("layer-mean", v) }),
    ];

    public override TrainingDefaults Defaults(DataDescription data) =>
        new(Epochs: 20, BatchSize: 64, LearningRate: 5e-4, Binarize: BinarizationMode.None);

    public override ITrainingStep CreateStep(DfcVae model, double learningRate) => new SingleObjectiveStep(model, learningRate);

    /// <summary>Training: the feature network eval would use for this data, or the one named by <c>--set features=</c>.</summary>
    public string ConfigureOptions(DataSplits data, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.ContainsKey("features") && data.Description.IsImage && FeatureNetworks.For(data) is null)
            throw new InvalidInputException($"dfc-vae needs a feature network for its loss: {FeatureNetworks.NoneFitsNote(data).Split(';')[0]}; " +
                "name one of that shape with --set features=NAME.");
        var chosen = new Dictionary<string, string>(settings);
        if (!settings.ContainsKey("features") && FeatureNetworks.For(data) is FeatureNetworkInfo fit) chosen["features"] = fit.Name;
        return ConfigureOptions(data.Description, chosen);
    }

    /// <summary>Images of a shape some embedded feature network takes: [1, 28, 28], [3, 32, 32], [3, 64, 64].</summary>
    protected override string? Refusal(DataDescription data) =>
        data.IsImage && FeatureNetworks.All.Any(n => n.IsEmbedded && n.InputShape.SequenceEqual(data.EventShape))
            ? null
            : "takes images a feature network fits: " +
              string.Join(", ", FeatureNetworks.All.Where(n => n.IsEmbedded).Select(n => $"{n.Name} [{string.Join(", ", n.InputShape)}]"));

    protected override string? Refusal(DfcVaeOptions options, DataDescription data)
    {
        FeatureNetworkInfo? named = FeatureNetworks.All.FirstOrDefault(n => string.Equals(n.Name, options.FeatureNetwork, StringComparison.OrdinalIgnoreCase));
        if (named is null || !named.IsEmbedded)
            return $"--set features={options.FeatureNetwork}: expected one of {string.Join(", ", FeatureNetworks.All.Where(n => n.IsEmbedded).Select(n => n.Name))}";
        return named.InputShape.SequenceEqual(data.EventShape)
            ? null
            : $"--set features={named.Name}: that network takes [{string.Join(", ", named.InputShape)}] images";
    }

    /// <summary>Without the data itself (a benchmark): the first embedded network of the data's shape.</summary>
    protected override DfcVaeOptions DefaultOptions(DataDescription data)
    {
        FeatureNetworkInfo first = FeatureNetworks.All.First(n => n.IsEmbedded && n.InputShape.SequenceEqual(data.EventShape));
        return new DfcVaeOptions { EventShape = data.EventShape, FeatureNetwork = first.Name, Latent = data.IsColour ? 64 : 32 };
    }

    protected override void Validate(DfcVaeOptions options) => options.Validate();

    protected override DfcVae Construct(DfcVaeOptions options) => new(options);
}
