using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Translation;
using GenerativeSharp.Training;

namespace GenerativeSharp.Recipes;

/// <summary>
/// pix2pix (Isola et al., "Image-to-Image Translation with Conditional Adversarial Networks", CVPR 2017,
/// arXiv:1611.07004): a U-Net generator and a PatchGAN discriminator trained with the conditional GAN loss
/// plus 100 x L1, Adam 2e-4 with beta1 0.5. Paired images only (<c>--data A --target B</c>), grey or colour,
/// of any side from 9 to 256 (padded to a power of two inside the U-Net). The paper's widths are 64; the CPU defaults here are ngf = ndf = 32, batch 16
/// (the paper used 1 to 10). The PatchGAN has 2 blocks (16 x 16 patches) at 32 px, 3 (34 x 34) at 64 px and
/// the paper's 4 (70 x 70) from 128 px.
/// </summary>
public sealed class Pix2PixRecipe : ModelRecipe<Pix2PixOptions, Pix2Pix>
{
    public override ModelInfo Info { get; } = new(
        "pix2pix", TaxonomyCell.DirectImplicit, "GAN", LikelihoodKind.None,
        "Image-to-image translation (Isola et al. 2017): U-Net generator, PatchGAN, conditional GAN loss + L1; paired images");

    protected override IReadOnlyList<Setting> Setters { get; } =
    [
        new("ngf", "32 (paper 64)", "U-Net base width", (o, v) => o with { GeneratorWidth = SettingValue.Integer("ngf", v, 1) }),
        new("ndf", "32 (paper 64)", "PatchGAN base width", (o, v) => o with { DiscriminatorWidth = SettingValue.Integer("ndf", v, 1) }),
        new("d_layers", "2 at 32 px, 3 at 64 px, 4 from 128 px", "PatchGAN blocks (receptive field 16, 34, 70 px)",
            (o, v) => o with { DiscriminatorLayers = SettingValue.Integer("d_layers", v, 1) }),
        new("l1", "100", "weight lambda of the L1 term", (o, v) => o with { L1Weight = SettingValue.NonNegativeNumber("l1", v) }),
        new("dropout_blocks", "3", "decoder blocks with dropout 0.5, at training and test time (the paper's noise)",
            (o, v) => o with { DropoutBlocks = SettingValue.Integer("dropout_blocks", v, 0) }),
        new("beta1", "0.5", "Adam beta1 of both players", (o, v) => o with { Beta1 = SettingValue.NonNegativeNumber("beta1", v) }),
        new("beta2", "0.999", "Adam beta2 of both players", (o, v) => o with { Beta2 = SettingValue.NonNegativeNumber("beta2", v) }),
    ];

    public override TrainingDefaults Defaults(DataDescription data) =>
        new(Epochs: 20, BatchSize: 16, LearningRate: 2e-4, Binarize: BinarizationMode.None);

    public override ITrainingStep CreateStep(Pix2Pix model, double learningRate) => new Pix2PixStep(model, learningRate);

    /// <summary>Paired images only.</summary>
    protected override string? Refusal(DataDescription data) =>
        !data.IsImage || data.TargetShape is not { Length: 3 }
            ? "translates paired images: give --data DIR --target DIR2 (each --data image's true output at the same relative path)"
            : !data.TargetsPaired
                ? "learns from pairs, but no --data image has a partner at the same relative path in --target (unpaired domains: train cyclegan)"
                : null;

    protected override Pix2PixOptions DefaultOptions(DataDescription data)
    {
        var options = new Pix2PixOptions { InputShape = data.EventShape, TargetShape = data.TargetShape! };
        return options with { DiscriminatorLayers = Math.Clamp(options.Depth - 3, 1, 4) };
    }

    protected override void Validate(Pix2PixOptions options) => options.Validate();

    protected override Pix2Pix Construct(Pix2PixOptions options) => new(options);
}
