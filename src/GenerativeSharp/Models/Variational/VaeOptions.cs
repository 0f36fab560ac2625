namespace GenerativeSharp.Models.Variational;

/// <summary>Encoder / decoder architecture of a <see cref="Vae"/>.</summary>
public enum VaeNetwork
{
    /// <summary>One hidden ReLU layer each way (the 784-400-20 net of Kingma and Welling).</summary>
    Mlp,

    /// <summary>Two stride-2 convolutions down, two transposed convolutions up (height and width divisible by 4).</summary>
    Conv,
}

/// <summary>The likelihood p(x | z) of a <see cref="Vae"/>.</summary>
public enum VaeDecoder
{
    /// <summary>Independent Bernoulli pixels: binarized images.</summary>
    Bernoulli,

    /// <summary>
    /// Diagonal Gaussian with a learned variance per coordinate: continuous data such as 2-D points,
    /// and 8-bit images when <see cref="VaeOptions.Dequantize"/> is set.
    /// </summary>
    Gaussian,
}

/// <summary>Options of a <see cref="Vae"/>; defaults are the reference MNIST model.</summary>
public sealed record VaeOptions
{
    /// <summary>Shape of one example: [C, H, W] for images, [D] for vectors.</summary>
    public long[] EventShape { get; init; } = [1, 28, 28];

    public VaeNetwork Network { get; init; } = VaeNetwork.Mlp;

    /// <summary>Width of the hidden layer (MLP) or of the dense layer after the convolutions.</summary>
    public int Hidden { get; init; } = 400;

    /// <summary>Hidden layers of each MLP (the reference MNIST model has 1); the conv network ignores it.</summary>
    public int Depth { get; init; } = 1;

    /// <summary>Dimension of the latent code z.</summary>
    public int Latent { get; init; } = 20;

    public VaeDecoder Decoder { get; init; } = VaeDecoder.Bernoulli;

    /// <summary>
    /// Whether the data is 8-bit and the Gaussian decoder models it dequantized, y = (k + u) / 256
    /// (docs/evaluation.md): then the ELBO minus D ln 256 bounds log P(k), a number comparable
    /// with the flows' bits/dim. Needs the Gaussian decoder.
    /// </summary>
    public bool Dequantize { get; init; }

    /// <summary>Weight of the KL term (beta-VAE, Higgins et al. 2017); 1 is the plain ELBO.</summary>
    public double Beta { get; init; } = 1.0;

    /// <summary>Importance samples k of the training objective: 1 is the ELBO, k &gt; 1 the IWAE bound (Burda et al. 2016).</summary>
    public int ImportanceSamples { get; init; } = 1;

    /// <summary>Throws <see cref="InvalidInputException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (EventShape.Length == 0 || EventShape.Any(d => d <= 0))
            throw new InvalidInputException($"VAE event shape must be positive, got [{string.Join(", ", EventShape)}].");
        if (Hidden < 1) throw new InvalidInputException($"hidden must be at least 1, got {Hidden}.");
        if (Depth < 1) throw new InvalidInputException($"depth must be at least 1, got {Depth}.");
        if (Latent < 1) throw new InvalidInputException($"latent must be at least 1, got {Latent}.");
        if (!(Beta > 0) || double.IsInfinity(Beta)) throw new InvalidInputException($"beta must be a positive number, got {Beta}.");
        if (ImportanceSamples < 1) throw new InvalidInputException($"k must be at least 1, got {ImportanceSamples}.");
        if (ImportanceSamples > 1 && Beta != 1.0)
            throw new InvalidInputException($"beta = {Beta} needs k = 1: the IWAE objective (k = {ImportanceSamples}) has no KL weight.");
        if (Dequantize && Decoder != VaeDecoder.Gaussian)
            throw new InvalidInputException("dequantize=true needs decoder=gaussian: a Bernoulli decoder models binary pixels.");
        if (Network == VaeNetwork.Conv && (EventShape.Length != 3 || EventShape[1] % 4 != 0 || EventShape[2] % 4 != 0))
            throw new InvalidInputException($"network=conv needs images [C, H, W] with H and W divisible by 4, got [{string.Join(", ", EventShape)}]; use network=mlp.");
    }
}
