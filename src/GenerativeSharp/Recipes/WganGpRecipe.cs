using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Adversarial;

namespace GenerativeSharp.Recipes;

/// <summary>
/// WGAN-GP (Gulrajani et al., "Improved Training of Wasserstein GANs", 2017, arXiv:1704.00028): the
/// Wasserstein critic loss with the gradient penalty (lambda 10 on images, 0.1 on 2-D points as in the
/// paper's toy experiments), 5 critic updates per generator update, no batch norm in the critic,
/// Adam 1e-4 with betas (0.5, 0.9). DCGAN networks on images, MLPs on 2-D points.
/// </summary>
public sealed class WganGpRecipe : AdversarialRecipe
{
    public override ModelInfo Info { get; } = new(
        "wgan-gp", TaxonomyCell.DirectImplicit, "GAN", LikelihoodKind.None,
        "Wasserstein GAN with gradient penalty (Gulrajani et al. 2017)");

    public override TrainingDefaults Defaults(DataDescription data) => data.IsVector
        ? new TrainingDefaults(Epochs: 20, BatchSize: 256, LearningRate: 1e-4, Binarize: BinarizationMode.None)
        : new TrainingDefaults(Epochs: 5, BatchSize: 64, LearningRate: 1e-4, Binarize: BinarizationMode.None);

    protected override AdversarialOptions DefaultOptions(DataDescription data)
    {
        AdversarialOptions basis = data.IsVector
            ? PointOptions(data.EventShape) with { GradientPenalty = 0.1 }
            : new AdversarialOptions { EventShape = data.EventShape, Latent = 100, Hidden = 64, GradientPenalty = 10 };
        return basis with
        {
            Loss = AdversarialLoss.Wasserstein, CriticSteps = 5, CriticNorm = CriticNormalization.None, Beta2 = 0.9,
        };
    }
}
