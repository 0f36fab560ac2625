using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Adversarial;

namespace GenerativeSharp.Recipes;

/// <summary>
/// The original GAN (Goodfellow et al. 2014, arXiv:1406.2661): MLP generator and discriminator, the
/// non-saturating generator loss of section 3 (loss=minimax gives eq. 1 as written). Images: width 512,
/// latent 100, batch 64; 2-D points: width 128, latent 8, batch 256, Adam 1e-3; images Adam 2e-4; beta1 0.5.
/// </summary>
public sealed class GanRecipe : AdversarialRecipe
{
    public override ModelInfo Info { get; } = new(
        "gan", TaxonomyCell.DirectImplicit, "GAN", LikelihoodKind.None,
        "Generative adversarial net (Goodfellow et al. 2014), MLP generator and discriminator");

    public override TrainingDefaults Defaults(DataDescription data) => data.IsVector
        ? new TrainingDefaults(Epochs: 20, BatchSize: 256, LearningRate: 1e-3, Binarize: BinarizationMode.None)
        : new TrainingDefaults(Epochs: 20, BatchSize: 64, LearningRate: 2e-4, Binarize: BinarizationMode.None);

    protected override AdversarialOptions DefaultOptions(DataDescription data) => data.IsVector
        ? PointOptions(data.EventShape)
        : new AdversarialOptions
        {
            EventShape = data.EventShape, Architecture = GanArchitecture.Mlp, Hidden = 512, Latent = 100, CriticNorm = CriticNormalization.None,
        };
}
