using GenerativeSharp.Bijectors;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.ChangeOfVariables;

/// <summary>The transform of a coupling layer: Real NVP's affine map or a rational-quadratic spline.</summary>
public enum CouplingKind
{
    /// <summary><see cref="AffineCoupling"/>: scale and shift (Dinh et al. 2017).</summary>
    Affine,

    /// <summary><see cref="SplineCoupling"/>: a monotonic rational-quadratic spline (Durkan et al. 2019).</summary>
    Spline,
}

/// <summary>
/// Options shared by the change-of-variables models (<see cref="RealNvp"/>, <see cref="Glow"/>,
/// <see cref="Nice"/>, <see cref="Maf"/>). Each recipe picks defaults per data kind; fields a model
/// does not use are ignored by it (documented on each model).
/// </summary>
public sealed record FlowOptions
{
    /// <summary>Shape of one example: [D] for points, [C, H, W] for images.</summary>
    public long[] EventShape { get; init; } = [2];

    /// <summary>Model 8-bit images by uniform dequantization and a logit preprocessing (true for image data).</summary>
    public bool Dequantize { get; init; }

    /// <summary>Coupling or autoregressive layers (per scale, for multi-scale image models).</summary>
    public int Layers { get; init; } = 8;

    /// <summary>Hidden width (units of MLPs, channels of convolutional conditioners).</summary>
    public int Hidden { get; init; } = 128;

    /// <summary>Hidden layers of MLP and MADE conditioners.</summary>
    public int Depth { get; init; } = 2;

    /// <summary>Scales of the multi-scale image architectures (RealNVP, Glow); H and W must divide by 2^Levels.</summary>
    public int Levels { get; init; } = 2;

    /// <summary>a of the logit preprocessing s = a + (1 - 2a) y (images).</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>The coupling transform of RealNVP and Glow (NICE is additive and MAF autoregressive by definition).</summary>
    public CouplingKind Coupling { get; init; } = CouplingKind.Affine;

    /// <summary>Bins K of spline couplings.</summary>
    public int Bins { get; init; } = 8;

    /// <summary>B of spline couplings: the spline acts on [-B, B], the identity outside.</summary>
    public double TailBound { get; init; } = 4;

    /// <summary>
    /// Training: the learning rate halves every this many updates, down to 2% of its start
    /// (<see cref="Training.LearningRateDecay"/>); 0 keeps it constant.
    /// </summary>
    public int LearningRateHalfLife { get; init; }

    public long Dimensions => EventShape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Throws <see cref="InvalidInputException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (EventShape.Length is not (1 or 3) || EventShape.Any(d => d <= 0))
            throw new InvalidInputException($"flows model vectors [D] or images [C, H, W]; got [{string.Join(", ", EventShape)}].");
        if (Dimensions < 2) throw new InvalidInputException($"flows need at least 2 dimensions; got [{string.Join(", ", EventShape)}].");
        if (Layers < 1) throw new InvalidInputException($"layers must be at least 1, got {Layers}.");
        if (Hidden < 1) throw new InvalidInputException($"hidden must be at least 1, got {Hidden}.");
        if (Depth < 1) throw new InvalidInputException($"depth must be at least 1, got {Depth}.");
        if (Levels < 1) throw new InvalidInputException($"levels must be at least 1, got {Levels}.");
        if (Bins < 2) throw new InvalidInputException($"bins must be at least 2, got {Bins}.");
        if (!(TailBound > 0 && double.IsFinite(TailBound))) throw new InvalidInputException($"tail_bound must be a positive number, got {TailBound}.");
        if (LearningRateHalfLife < 0) throw new InvalidInputException($"lr_half_life must be at least 0, got {LearningRateHalfLife}.");
        if (!(Alpha >= 0 && Alpha < 0.5)) throw new InvalidInputException($"alpha must lie in [0, 0.5), got {Alpha}.");
        if (Dequantize && EventShape.Length != 3)
            throw new InvalidInputException($"dequantization is for images [C, H, W]; got [{string.Join(", ", EventShape)}].");
    }

    /// <summary>Checks that images can be squeezed <see cref="Levels"/> times.</summary>
    public void RequireSqueezable(string model)
    {
        if (EventShape.Length != 3) return;
        long unit = 1L << Levels;
        if (EventShape[1] % unit != 0 || EventShape[2] % unit != 0)
            throw new InvalidInputException($"{model} with levels={Levels} needs H and W divisible by {unit}; got [{string.Join(", ", EventShape)}] (lower --set levels).");
    }

    /// <summary>A coupling layer of the chosen <see cref="Coupling"/> kind with this mask and conditioner factory.</summary>
    public Bijector NewCoupling(Tensor mask, ConditionerFactory network) => Coupling == CouplingKind.Spline
        ? new SplineCoupling(mask, network, Bins, TailBound)
        : new AffineCoupling(mask, network);

    /// <summary>Refuses spline couplings for a model whose layers are not affine couplings.</summary>
    public void RequireAffineCoupling(string model, string why)
    {
        if (Coupling != CouplingKind.Affine)
            throw new InvalidInputException($"{model} has no choice of coupling ({why}); --set coupling=spline is for realnvp and glow.");
    }
}
