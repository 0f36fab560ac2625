namespace GenerativeSharp.Models.Variational;

/// <summary>Options of a <see cref="VqVae"/>.</summary>
public sealed record VqVaeOptions
{
    /// <summary>Shape of one image: grey-scale [1, H, W] or colour [3, H, W] with H and W divisible by 4 (the latent grid is [H/4, W/4]).</summary>
    public long[] EventShape { get; init; } = [1, 28, 28];

    /// <summary>
    /// The likelihood p(x | z_q): Bernoulli on binarized pixels, or a diagonal Gaussian (mean and log-variance per pixel)
    /// on uniformly dequantized 8-bit pixels, so that the bound is on -log P(k) of the 8-bit values.
    /// </summary>
    public VaeDecoder Decoder { get; init; } = VaeDecoder.Bernoulli;

    /// <summary>Feature maps of the encoder's and decoder's hidden convolutions.</summary>
    public int Hidden { get; init; } = 64;

    /// <summary>Codebook size K (at most 256: the prior is a 256-way softmax Gated PixelCNN over the code maps).</summary>
    public int Codes { get; init; } = 128;

    /// <summary>Dimension D of each code vector.</summary>
    public int CodeDimension { get; init; } = 32;

    /// <summary>Commitment weight beta (0.25 in the paper).</summary>
    public double Beta { get; init; } = 0.25;

    /// <summary>Decay gamma of the EMA codebook updates (0.99 in the paper's appendix).</summary>
    public double Decay { get; init; } = 0.99;

    /// <summary>Laplace smoothing epsilon of the EMA cluster sizes (1e-5, as in Sonnet's VectorQuantizerEMA).</summary>
    public double Epsilon { get; init; } = 1e-5;

    /// <summary>A code unused for this many consecutive training steps is dead.</summary>
    public int DeadAfter { get; init; } = 100;

    /// <summary>Whether dead codes are re-initialised to random encoder outputs of the batch (else only counted).</summary>
    public bool Revive { get; init; } = true;

    /// <summary>Whether a Gated PixelCNN prior over the code maps is trained in the same run (on the detached codes).</summary>
    public bool Prior { get; init; } = true;

    /// <summary>
    /// Whether the encoder, decoder and codebook learn. False: they are frozen (copied from a trained run by
    /// <c>train --init-from</c>) and the prior alone trains, on their fixed codes: the two-stage training of the paper.
    /// </summary>
    public bool TrainAutoencoder { get; init; } = true;

    /// <summary>
    /// How the prior takes the codes: as learned embeddings (the recipe's choice: codes are categories) or as ordered levels
    /// k / 255. Levels here so that runs written before the embedding existed, whose options lack it, load as they were trained.
    /// </summary>
    public PriorInput PriorInput { get; init; } = PriorInput.Level;

    /// <summary>Feature maps of each stack of the prior.</summary>
    public int PriorChannels { get; init; } = 32;

    /// <summary>Gated layers of the prior.</summary>
    public int PriorLayers { get; init; } = 5;

    /// <summary>Throws <see cref="InvalidInputException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (EventShape.Length != 3 || EventShape[0] is not (1 or 3) || EventShape[1] < 4 || EventShape[2] < 4 || EventShape[1] % 4 != 0 || EventShape[2] % 4 != 0)
            throw new InvalidInputException($"VQ-VAE models grey-scale [1, H, W] or colour [3, H, W] images with H and W divisible by 4; got [{string.Join(", ", EventShape)}].");
        if (Hidden < 1) throw new InvalidInputException($"hidden must be at least 1, got {Hidden}.");
        if (Codes < 2 || Codes > 256) throw new InvalidInputException($"codes must be between 2 and 256 (the prior is a 256-way softmax), got {Codes}.");
        if (CodeDimension < 1) throw new InvalidInputException($"dim must be at least 1, got {CodeDimension}.");
        if (!(Beta >= 0) || double.IsInfinity(Beta)) throw new InvalidInputException($"beta must be a finite number >= 0, got {Beta}.");
        if (!(Decay > 0 && Decay < 1)) throw new InvalidInputException($"decay must be in (0, 1), got {Decay}.");
        if (!(Epsilon > 0) || double.IsInfinity(Epsilon)) throw new InvalidInputException($"epsilon must be a positive number, got {Epsilon}.");
        if (DeadAfter < 1) throw new InvalidInputException($"dead_after must be at least 1, got {DeadAfter}.");
        if (!TrainAutoencoder && !Prior) throw new InvalidInputException("train_autoencoder=false trains the prior alone: it needs prior=true.");
        if (PriorChannels < 1) throw new InvalidInputException($"prior_channels must be at least 1, got {PriorChannels}.");
        if (PriorLayers < 1) throw new InvalidInputException($"prior_layers must be at least 1, got {PriorLayers}.");
    }
}

/// <summary>How a VQ-VAE's prior takes its codes (the <c>prior_input</c> setting).</summary>
public enum PriorInput
{
    /// <summary>Learned embeddings: the codes are categories.</summary>
    Embedding,

    /// <summary>Ordered levels k / 255, as runs before the embedding.</summary>
    Level,
}
