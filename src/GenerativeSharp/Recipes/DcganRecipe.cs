using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Adversarial;

namespace GenerativeSharp.Recipes;

/// <summary>
/// DCGAN (Radford et al. 2016, arXiv:1511.06434): convolutional G and D with batch norm, the
/// non-saturating loss, Adam 2e-4 with beta1 0.5, batch 64, latent 100, base width 64; images of side
/// 28, 32 or 64 (any side divisible by 4). On 2-D points the MLP networks of <see cref="GanRecipe"/>.
/// </summary>
public sealed class DcganRecipe : AdversarialRecipe
{
    public override ModelInfo Info { get; } = new(
        "dcgan", TaxonomyCell.DirectImplicit, "GAN", LikelihoodKind.None,
        "Deep convolutional GAN (Radford et al. 2016), non-saturating loss, batch norm");

    public override TrainingDefaults Defaults(DataDescription data) => data.IsVector
        ? new TrainingDefaults(Epochs: 20, BatchSize: 256, LearningRate: 1e-3, Binarize: BinarizationMode.None)
        : new TrainingDefaults(Epochs: 5, BatchSize: 64, LearningRate: 2e-4, Binarize: BinarizationMode.None);

    protected override AdversarialOptions DefaultOptions(DataDescription data) => data.IsVector
        ? PointOptions(data.EventShape)
        : new AdversarialOptions { EventShape = data.EventShape, Latent = 100, Hidden = 64 };
}
