namespace GenerativeSharp.Models.Variational;

/// <summary>Options of a <see cref="DfcVae"/>; defaults follow Hou et al. (2017) where our smaller data allows.</summary>
public sealed record DfcVaeOptions
{
    /// <summary>Shape of one image [C, H, W]; it must be the input shape of <see cref="FeatureNetwork"/>.</summary>
    public long[] EventShape { get; init; } = [1, 28, 28];

    /// <summary>
    /// The embedded feature network of the perceptual loss, by name (e.g. "FMNIST-CNN"); the checkpoint stores this
    /// name only, and the model rebuilds the frozen network from the embedded weights.
    /// </summary>
    public string FeatureNetwork { get; init; } = "FMNIST-CNN";

    /// <summary>How many conv stages of the feature network (1 to 3): their ReLU outputs relu1, relu2, relu3 enter the loss.</summary>
    public int Layers { get; init; } = 3;

    /// <summary>Width of the dense layer after the convolutions.</summary>
    public int Hidden { get; init; } = 512;

    /// <summary>Dimension of the latent code z.</summary>
    public int Latent { get; init; } = 32;

    /// <summary>The paper's alpha: weight of KL(q(z | x) || N(0, I)).</summary>
    public double Alpha { get; init; } = 1.0;

    /// <summary>The paper's beta: weight of the feature perceptual loss.</summary>
    public double Beta { get; init; } = 0.5;

    /// <summary>Weight of an extra pixel term, 1/2 the squared error summed over pixels (0: none, the paper's loss).</summary>
    public double Pixel { get; init; }

    /// <summary>
    /// Whether each layer's squared difference is divided by its C·H·W (the paper's 1/(2 C H W), written for VGG-19 activations
    /// of 0-255 images); false sums it (1/2 the sum, a unit-variance Gaussian in feature space), the default here.
    /// </summary>
    public bool LayerMean { get; init; }

    /// <summary>Throws <see cref="InvalidInputException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (EventShape.Length != 3 || EventShape.Any(d => d <= 0) || EventShape[1] % 4 != 0 || EventShape[2] % 4 != 0)
            throw new InvalidInputException($"dfc-vae takes images [C, H, W] with H and W divisible by 4, got [{string.Join(", ", EventShape)}].");
        if (Layers is < 1 or > 3) throw new InvalidInputException($"layers must be 1, 2 or 3 (relu1 .. relu3), got {Layers}.");
        if (Hidden < 1) throw new InvalidInputException($"hidden must be at least 1, got {Hidden}.");
        if (Latent < 1) throw new InvalidInputException($"latent must be at least 1, got {Latent}.");
        if (!(Alpha > 0) || double.IsInfinity(Alpha)) throw new InvalidInputException($"alpha must be a positive number, got {Alpha}.");
        if (!(Beta > 0) || double.IsInfinity(Beta)) throw new InvalidInputException($"beta must be a positive number, got {Beta}.");
        if (!(Pixel >= 0) || double.IsInfinity(Pixel)) throw new InvalidInputException($"pixel must be a number >= 0, got {Pixel}.");
        if (string.IsNullOrWhiteSpace(FeatureNetwork)) throw new InvalidInputException("features must name an embedded feature network.");
    }
}
