namespace GenerativeSharp.Models.Adversarial;

/// <summary>The generator / critic networks of a <see cref="Gan"/>.</summary>
public enum GanArchitecture
{
    /// <summary>Fully connected G and D (Goodfellow et al. 2014); any event shape, the one choice for 2-D points.</summary>
    Mlp,

    /// <summary>DCGAN convolutions (Radford et al. 2016); square images of side 28, 32 (divisible by 4) or 64.</summary>
    Conv,
}

/// <summary>The adversarial objective. D outputs a real score (a logit for the first two).</summary>
public enum AdversarialLoss
{
    /// <summary>Goodfellow et al. 2014, eq. 1: D maximises log D(x) + log(1 - D(G(z))), G minimises log(1 - D(G(z))).</summary>
    Minimax,

    /// <summary>The same D objective; G maximises log D(G(z)) instead (Goodfellow et al. 2014, section 3), which does not saturate early.</summary>
    NonSaturating,

    /// <summary>Hinge loss (Lim and Ye 2017; Miyato et al. 2018): D minimises relu(1 - D(x)) + relu(1 + D(G(z))), G minimises -D(G(z)).</summary>
    Hinge,

    /// <summary>Wasserstein critic (Arjovsky et al. 2017): D minimises D(G(z)) - D(x), G minimises -D(G(z)); needs a Lipschitz constraint (gradient penalty or spectral norm).</summary>
    Wasserstein,
}

/// <summary>Normalisation inside the critic.</summary>
public enum CriticNormalization
{
    /// <summary>None (required with a gradient penalty, which is defined per example).</summary>
    None,

    /// <summary>Batch normalisation on the hidden layers after the first (DCGAN).</summary>
    Batch,
}

/// <summary>
/// Options of a <see cref="Gan"/> and of its <see cref="Training.AdversarialStep"/>. Immutable, validated.
/// </summary>
public sealed record AdversarialOptions
{
    /// <summary>Shape of one example: [2] for points, [C, H, W] for images.</summary>
    public required long[] EventShape { get; init; }

    /// <summary>Dimension of the latent code z ~ N(0, I).</summary>
    public int Latent { get; init; } = 64;

    /// <summary>MLP width, or the base channel count of the conv networks.</summary>
    public int Hidden { get; init; } = 64;

    public GanArchitecture Architecture { get; init; } = GanArchitecture.Conv;

    public AdversarialLoss Loss { get; init; } = AdversarialLoss.NonSaturating;

    /// <summary>Critic updates per generator update (n_critic).</summary>
    public int CriticSteps { get; init; } = 1;

    /// <summary>Weight lambda of the WGAN-GP gradient penalty (Gulrajani et al. 2017); 0 = none.</summary>
    public double GradientPenalty { get; init; }

    /// <summary>Spectral normalisation of the critic's weights (Miyato et al. 2018, arXiv:1802.05957).</summary>
    public bool SpectralNorm { get; init; }

    public CriticNormalization CriticNorm { get; init; } = CriticNormalization.Batch;

    /// <summary>Decay of the exponential moving average of G's weights used for sampling (Yazıcı et al. 2019); 0 = sample from G itself.</summary>
    public double EmaDecay { get; init; } = 0.999;

    /// <summary>Adam beta1 and beta2 of both players (DCGAN: 0.5, 0.999; WGAN-GP: 0.5, 0.9).</summary>
    public double Beta1 { get; init; } = 0.5;

    public double Beta2 { get; init; } = 0.999;

    /// <summary>Number of classes to condition on (class embedding in G, projection discriminator in D); 0 = unconditional.</summary>
    public int Classes { get; init; }

    /// <summary>Throws <see cref="InvalidInputException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (EventShape.Length == 0 || EventShape.Any(d => d < 1))
            throw new InvalidInputException($"GAN event shape must be positive, got [{string.Join(", ", EventShape)}].");
        if (Latent < 1) throw new InvalidInputException($"latent must be at least 1, got {Latent}.");
        if (Hidden < 1) throw new InvalidInputException($"hidden must be at least 1, got {Hidden}.");
        if (CriticSteps < 1) throw new InvalidInputException($"n_critic must be at least 1, got {CriticSteps}.");
        if (!(GradientPenalty >= 0) || double.IsInfinity(GradientPenalty))
            throw new InvalidInputException($"gp must be a number >= 0, got {GradientPenalty}.");
        if (!(EmaDecay >= 0 && EmaDecay < 1)) throw new InvalidInputException($"ema must be in [0, 1), got {EmaDecay}.");
        if (!(Beta1 >= 0 && Beta1 < 1) || !(Beta2 >= 0 && Beta2 < 1))
            throw new InvalidInputException($"Adam betas must be in [0, 1), got {Beta1} and {Beta2}.");
        if (Classes < 0) throw new InvalidInputException($"classes must be at least 0, got {Classes}.");
        if (GradientPenalty > 0 && CriticNorm == CriticNormalization.Batch)
            throw new InvalidInputException("a gradient penalty is defined per example; use critic_norm=none with gp > 0.");
        if (Architecture == GanArchitecture.Conv)
        {
            if (EventShape.Length != 3 || EventShape[1] != EventShape[2] || EventShape[1] % 4 != 0)
                throw new InvalidInputException(
                    $"architecture=conv needs square images with a side divisible by 4 (28, 32, 64); got [{string.Join(", ", EventShape)}]. Use architecture=mlp.");
        }
    }

    /// <summary>True for image data, whose pixels in [0, 1] the networks see in [-1, 1].</summary>
    public bool IsImage => EventShape.Length == 3;
}
