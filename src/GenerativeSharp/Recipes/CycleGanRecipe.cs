using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Translation;
using GenerativeSharp.Training;

namespace GenerativeSharp.Recipes;

/// <summary>
/// CycleGAN (Zhu et al., "Unpaired Image-to-Image Translation using Cycle-Consistent Adversarial Networks", ICCV
/// 2017, arXiv:1703.10593): two ResNet generators G: A -> B and F: B -> A, two PatchGANs with instance norm, the
/// least-squares GAN loss, cycle consistency (lambda 10) and identity (0.5 lambda), a history pool of 50 fakes per
/// discriminator, Adam 2e-4 with beta1 0.5. Unpaired images: domain A is <c>--data A</c>, domain B <c>--target B</c>
/// (two folders given as for paired data, but each step's B batch is drawn with its own permutation, so which B
/// file shares an A file's relative path is never used in training; it only serves evaluation). Side a multiple of
/// 4 from 32 to 256. CPU defaults: ngf = ndf = 32 (paper 64), 6 residual blocks (the paper's number at 128 px and
/// below), batch 4 (paper 1); PatchGAN blocks 2 (16 x 16 patches) at 32 px, 3 (34 x 34) at 64 px, 4 (70 x 70,
/// the paper's) from 128 px.
/// </summary>
public sealed class CycleGanRecipe : ModelRecipe<CycleGanOptions, CycleGan>
{
    public override ModelInfo Info { get; } = new(
        "cyclegan", TaxonomyCell.DirectImplicit, "GAN", LikelihoodKind.None,
        "Unpaired image-to-image translation (Zhu et al. 2017): two ResNet generators, two PatchGANs, LSGAN + cycle + identity L1; --data A --target B unpaired");

    protected override IReadOnlyList<Setting> Setters { get; } =
    [
        new("ngf", "32 (paper 64)", "ResNet generator base width", (o, v) => o with { GeneratorWidth = SettingValue.Integer("ngf", v, 1) }),
        new("blocks", "6", "residual blocks of each generator (paper 6 up to 128 px, 9 at 256 px)",
            (o, v) => o with { ResidualBlocks = SettingValue.Integer("blocks", v, 0) }),
        new("ndf", "32 (paper 64)", "PatchGAN base width", (o, v) => o with { DiscriminatorWidth = SettingValue.Integer("ndf", v, 1) }),
        new("d_layers", "2 at 32 px, 3 at 64 px, 4 from 128 px", "PatchGAN blocks (receptive field 16, 34, 70 px)",
            (o, v) => o with { DiscriminatorLayers = SettingValue.Integer("d_layers", v, 1) }),
        new("lambda", "10", "weight of each cycle-consistency L1 term", (o, v) => o with { CycleWeight = SettingValue.NonNegativeNumber("lambda", v) }),
        new("cycle", "both", "cycle terms kept: both, forward (F(G(a)) ~ a), backward (G(F(b)) ~ b) or none (GAN alone)",
            (o, v) => o with { Cycle = ParseCycle(v) }),
        new("identity", "0.5 (0 when A and B differ in channels)", "identity term weight as a multiple of lambda (0: off)",
            (o, v) => o with { IdentityWeight = SettingValue.NonNegativeNumber("identity", v) }),
        new("pool", "50", "generated images in each discriminator's history pool (0: none)",
            (o, v) => o with { PoolSize = SettingValue.Integer("pool", v, 0) }),
        new("schedule_steps", "0 (constant)", "rounds of the learning-rate schedule: constant for the first half, linear to 0 over the second (set to --steps)",
            (o, v) => o with { ScheduleSteps = SettingValue.Integer("schedule_steps", v, 0) }),
        new("beta1", "0.5", "Adam beta1 of all players", (o, v) => o with { Beta1 = SettingValue.NonNegativeNumber("beta1", v) }),
        new("beta2", "0.999", "Adam beta2 of all players", (o, v) => o with { Beta2 = SettingValue.NonNegativeNumber("beta2", v) }),
    ];

    public override TrainingDefaults Defaults(DataDescription data) =>
        new(Epochs: 20, BatchSize: 4, LearningRate: 2e-4, Binarize: BinarizationMode.None);

    public override ITrainingStep CreateStep(CycleGan model, double learningRate) => new CycleGanStep(model, learningRate);

    /// <summary>Two image folders, A and B.</summary>
    protected override string? Refusal(DataDescription data) =>
        !data.IsImage || data.TargetShape is not { Length: 3 }
            ? "translates between two image domains: give --data A --target B (two folders; the pairing is not used in training)"
            : null;

    protected override CycleGanOptions DefaultOptions(DataDescription data)
    {
        long side = data.EventShape[1];
        int depth = (int)Math.Round(Math.Log2(Math.Max(side, 2)));
        return new CycleGanOptions
        {
            InputShape = data.EventShape, TargetShape = data.TargetShape!, DiscriminatorLayers = Math.Clamp(depth - 3, 1, 4),
            IdentityWeight = data.EventShape[0] == data.TargetShape![0] ? 0.5 : 0,                 // G(b) ~ b needs one channel count
        };
    }

    protected override void Validate(CycleGanOptions options) => options.Validate();

    protected override CycleGan Construct(CycleGanOptions options) => new(options);

    private static CycleLoss ParseCycle(string value) => value.Trim().ToLowerInvariant() switch
    {
        "both" => CycleLoss.Both,
        "forward" => CycleLoss.Forward,
        "backward" => CycleLoss.Backward,
        "none" => CycleLoss.None,
        _ => throw new InvalidInputException($"cycle must be both, forward, backward or none; got '{value}'."),
    };
}
