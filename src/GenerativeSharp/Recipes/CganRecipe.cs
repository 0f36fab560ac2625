using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Adversarial;

namespace GenerativeSharp.Recipes;

/// <summary>
/// A class-conditional GAN: the DCGAN networks and training of <see cref="DcganRecipe"/>, with a learned
/// class embedding concatenated to z in G (Mirza and Osindero, "Conditional Generative Adversarial Nets",
/// 2014, arXiv:1411.1784) and a projection discriminator D(x, y) = psi(phi(x)) + &lt;e(y), phi(x)&gt; (Miyato
/// and Koyama, "cGANs with Projection Discriminator", ICLR 2018, arXiv:1802.05637). Trains on labelled
/// images only (classes=10 by default); the 2-D toy data sets have no labels, so they are refused.
/// Sample one class with 'gensharp sample DIR --label L'.
/// </summary>
public sealed class CganRecipe : AdversarialRecipe
{
    public override ModelInfo Info { get; } = new(
        "cgan", TaxonomyCell.DirectImplicit, "GAN", LikelihoodKind.None,
        "Class-conditional DCGAN (Mirza and Osindero 2014) with a projection discriminator (Miyato and Koyama 2018)");

    public override TrainingDefaults Defaults(DataKind kind) =>
        new(Epochs: 5, BatchSize: 64, LearningRate: 2e-4, Binarize: BinarizationMode.None);

    protected override AdversarialOptions DefaultOptions(long[] eventShape, DataKind kind) => kind == DataKind.Points
        ? throw new InvalidInputException("cgan needs labelled images: the 2-D toy data sets have no labels. Use an image directory (IDX) with labels.")
        : new AdversarialOptions { EventShape = eventShape, Latent = 100, Hidden = 64, Classes = 10 };
}
