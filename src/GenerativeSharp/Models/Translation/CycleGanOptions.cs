namespace GenerativeSharp.Models.Translation;

/// <summary>
/// The options of <see cref="CycleGan"/> (Zhu et al., "Unpaired Image-to-Image Translation using
/// Cycle-Consistent Adversarial Networks", ICCV 2017, arXiv:1703.10593). Domain A images (<c>--data</c>) and
/// domain B images (<c>--target</c>) share their side S, a multiple of 4 from 32 to 256. The paper's
/// generators have ngf = 64 and 6 residual blocks at 128 px (9 at 256 px), its PatchGANs ndf = 64; the CPU
/// defaults here are ngf = ndf = 32 with 6 blocks.
/// </summary>
public sealed record CycleGanOptions
{
    /// <summary>Domain A's image shape [C_A, S, S] (the inputs).</summary>
    public required long[] InputShape { get; init; }

    /// <summary>Domain B's image shape [C_B, S, S] (the targets).</summary>
    public required long[] TargetShape { get; init; }

    /// <summary>Base width of both ResNet generators ("ngf"): ngf, 2 ngf, then 4 ngf channels in the residual blocks. The paper's is 64.</summary>
    public int GeneratorWidth { get; init; } = 32;

    /// <summary>Residual blocks of each generator (the paper's 6 at 128 px and below, 9 at 256 px).</summary>
    public int ResidualBlocks { get; init; } = 6;

    /// <summary>Base width of both PatchGANs ("ndf"). The paper's is 64.</summary>
    public int DiscriminatorWidth { get; init; } = 32;

    /// <summary>Convolution blocks of each PatchGAN before its output layer (see <see cref="PatchDiscriminator.ReceptiveField"/>).</summary>
    public int DiscriminatorLayers { get; init; } = 2;

    /// <summary>The weight lambda of each cycle-consistency L1 term (the paper's 10).</summary>
    public double CycleWeight { get; init; } = 10;

    /// <summary>Which cycle terms are on (the paper's ablation): both, forward, backward or none.</summary>
    public CycleLoss Cycle { get; init; } = CycleLoss.Both;

    /// <summary>The identity term's weight as a multiple of lambda (the paper's 0.5; 0 switches it off). Needs C_A = C_B.</summary>
    public double IdentityWeight { get; init; } = 0.5;

    /// <summary>Generated images each discriminator's history pool keeps (Shrivastava et al. 2017; the paper's 50; 0: no pool).</summary>
    public int PoolSize { get; init; } = 50;

    /// <summary>
    /// Updates over which the learning rate runs its schedule: constant for the first half, then linearly to zero over the
    /// second (the paper's 100 + 100 epochs). 0 keeps it constant. Set it to the run's --steps for the paper's schedule.
    /// </summary>
    public long ScheduleSteps { get; init; }

    public double Beta1 { get; init; } = 0.5;

    public double Beta2 { get; init; } = 0.999;

    /// <summary>The image side S.</summary>
    public long Side => TargetShape[1];

    /// <summary>Refuses options no CycleGAN can have, in one line.</summary>
    public void Validate()
    {
        if (InputShape is not { Length: 3 } || TargetShape is not { Length: 3 })
            throw new InvalidInputException("cyclegan translates images [C, S, S].");
        if (InputShape[0] is not (1 or 3) || TargetShape[0] is not (1 or 3))
            throw new InvalidInputException($"cyclegan takes grey or colour images; got {InputShape[0]} and {TargetShape[0]} channels.");
        long side = TargetShape[1];
        if (TargetShape[2] != side || InputShape[1] != side || InputShape[2] != side)
            throw new InvalidInputException($"cyclegan needs square A and B images of one side; got [{string.Join(", ", InputShape)}] and " +
                $"[{string.Join(", ", TargetShape)}] (use --image-size N).");
        if (side < 32 || side > 256 || side % 4 != 0)
            throw new InvalidInputException($"cyclegan needs an image side that is a multiple of 4 from 32 to 256; got {side} (use --image-size 32).");
        if (GeneratorWidth < 1 || DiscriminatorWidth < 1) throw new InvalidInputException("ngf and ndf must be at least 1.");
        if (ResidualBlocks < 0 || ResidualBlocks > 32) throw new InvalidInputException($"blocks must be from 0 to 32; got {ResidualBlocks}.");
        int maxLayers = (int)Math.Round(Math.Log2(side)) - 2;
        if (DiscriminatorLayers < 1 || DiscriminatorLayers > maxLayers)
            throw new InvalidInputException($"d_layers must be from 1 to {maxLayers} at side {side}; got {DiscriminatorLayers}.");
        if (!(CycleWeight >= 0) || double.IsInfinity(CycleWeight)) throw new InvalidInputException($"lambda must be a number >= 0; got {CycleWeight}.");
        if (!(IdentityWeight >= 0) || double.IsInfinity(IdentityWeight)) throw new InvalidInputException($"identity must be a number >= 0; got {IdentityWeight}.");
        if (IdentityWeight > 0 && InputShape[0] != TargetShape[0])
            throw new InvalidInputException($"the identity term needs A and B of the same channels (got {InputShape[0]} and {TargetShape[0]}): use --set identity=0.");
        if (PoolSize < 0) throw new InvalidInputException($"pool must be >= 0; got {PoolSize}.");
        if (ScheduleSteps < 0) throw new InvalidInputException($"schedule_steps must be >= 0; got {ScheduleSteps}.");
        if (!(Beta1 >= 0 && Beta1 < 1) || !(Beta2 >= 0 && Beta2 < 1)) throw new InvalidInputException("beta1 and beta2 must lie in [0, 1).");
    }
}
