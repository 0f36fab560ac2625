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

    public override TrainingDefaults Defaults(DataDescription data) =>
        new(Epochs: 5, BatchSize: 64, LearningRate: 2e-4, Binarize: BinarizationMode.None);

    /// <summary>Labelled images only: the 2-D toys have no labels.</summary>
    protected override string? Refusal(DataDescription data) =>
        !data.IsImage || data.ClassCount == 0
            ? "needs labelled images (IDX files with labels, or a folder with one sub-folder per class)"
            : null;

    /// <summary>The DCGAN networks conditioned on every class of the data.</summary>
    protected override AdversarialOptions DefaultOptions(DataDescription data) =>
        new() { EventShape = data.EventShape, Latent = 100, Hidden = 64, Classes = data.ClassCount };
}
