namespace GenerativeSharp.Models.Diffusion;

/// <summary>The noise schedule of a <see cref="Ddpm"/>.</summary>
public enum ScheduleKind
{
    /// <summary>beta linear from 1e-4 to 0.02 (Ho et al. 2020).</summary>
    Linear,

    /// <summary>The cosine schedule of Nichol and Dhariwal 2021.</summary>
    Cosine,
}

/// <summary>The noise-prediction network of a <see cref="Ddpm"/>.</summary>
public enum DiffusionNetwork
{
    /// <summary>A residual MLP for vectors (<see cref="MlpNoiseNetwork"/>).</summary>
    Mlp,

    /// <summary>A small U-Net for images (<see cref="UNetNoiseNetwork"/>).</summary>
    Unet,
}

/// <summary>Options of a <see cref="Ddpm"/>; defaults are the 2-D model.</summary>
public sealed record DdpmOptions
{
    /// <summary>Shape of one example: [C, S, S] for images, [D] for vectors.</summary>
    public long[] EventShape { get; init; } = [2];

    /// <summary>T, the number of diffusion steps.</summary>
    public int Timesteps { get; init; } = 1000;

    public ScheduleKind Schedule { get; init; } = ScheduleKind.Linear;

    /// <summary>The fixed reverse variance used by ancestral sampling and the bound.</summary>
    public VarianceChoice Variance { get; init; } = VarianceChoice.Small;

    public DiffusionNetwork Network { get; init; } = DiffusionNetwork.Mlp;

    /// <summary>Width of the MLP.</summary>
    public int Hidden { get; init; } = 128;

    /// <summary>Residual blocks of the MLP.</summary>
    public int Depth { get; init; } = 3;

    /// <summary>Base width c of the U-Net.</summary>
    public int Channels { get; init; } = 32;

    /// <summary>Self-attention at the U-Net's lowest resolution.</summary>
    public bool Attention { get; init; } = true;

    /// <summary>Decay of the moving average of the weights that sampling and the bound use.</summary>
    public double Ema { get; init; } = 0.99;

    /// <summary>
    /// Values the data takes: 256 for 8-bit pixels, 2 for binary ones (the bound's decoder L_0 is then the discretized
    /// Gaussian), 0 for continuous data (a Gaussian density).
    /// </summary>
    public int Levels { get; init; }

    /// <summary>Classes to condition on (0: unconditional); the class embedding has one more entry, the null class.</summary>
    public int Classes { get; init; }

    /// <summary>
    /// Probability that a training label is replaced by the null class, so one network learns both eps(x, t, c) and
    /// eps(x, t) for classifier-free guidance (Ho and Salimans 2022, arXiv:2207.12598).
    /// </summary>
    public double LabelDropout { get; init; } = 0.1;

    public bool IsImage => EventShape.Length == 3;

    /// <summary>Throws <see cref="InvalidInputException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (EventShape.Length == 0 || EventShape.Any(d => d <= 0))
            throw new InvalidInputException($"DDPM event shape must be positive, got [{string.Join(", ", EventShape)}].");
        if (Timesteps < 2) throw new InvalidInputException($"timesteps must be at least 2, got {Timesteps}.");
        if (Hidden < 1) throw new InvalidInputException($"hidden must be at least 1, got {Hidden}.");
        if (Depth < 1) throw new InvalidInputException($"depth must be at least 1, got {Depth}.");
        if (Channels < 1) throw new InvalidInputException($"channels must be at least 1, got {Channels}.");
        if (!(Ema >= 0 && Ema < 1)) throw new InvalidInputException($"ema must be in [0, 1), got {Ema}.");
        if (Classes < 0) throw new InvalidInputException($"classes must be at least 0, got {Classes}.");
        if (!(LabelDropout >= 0 && LabelDropout < 1)) throw new InvalidInputException($"label_dropout must be in [0, 1), got {LabelDropout}.");
        if (Levels is not (0 or 2 or 256)) throw new InvalidInputException($"levels must be 0, 2 or 256, got {Levels}.");
        if (Network == DiffusionNetwork.Unet)
        {
            if (!IsImage || EventShape[1] != EventShape[2])
                throw new InvalidInputException($"network=unet needs square images [C, S, S], got [{string.Join(", ", EventShape)}]; use network=mlp.");
            if (UNetNoiseNetwork.Misfit(EventShape[1]) is string misfit)
                throw new InvalidInputException($"network=unet {misfit}, got [{string.Join(", ", EventShape)}].");
        }
    }
}
