namespace GenerativeSharp.Models.Translation;

/// <summary>
/// The options of <see cref="Pix2Pix"/> (Isola et al., "Image-to-Image Translation with Conditional
/// Adversarial Networks", CVPR 2017, arXiv:1611.07004). Input and target images share their side S, from 9
/// to 256; the U-Net works on the next power of two P >= S (S itself at 32, 64, 128, 256; 32 for Fashion-MNIST's
/// 28), downsampling log2(P) times (5 at 32 px, 6 at 64 px, 8 at the paper's 256) to a 1 x 1 bottleneck.
/// </summary>
public sealed record Pix2PixOptions
{
    /// <summary>The input images' shape [C_in, S, S] (the context).</summary>
    public required long[] InputShape { get; init; }

    /// <summary>The target images' shape [C_out, S, S] (what the model draws).</summary>
    public required long[] TargetShape { get; init; }

    /// <summary>Base width of the U-Net ("ngf"): its encoder has ngf, 2 ngf, 4 ngf, then 8 ngf channels. The paper's is 64.</summary>
    public int GeneratorWidth { get; init; } = 32;

    /// <summary>Base width of the PatchGAN ("ndf"): its layers have ndf, 2 ndf, 4 ndf, ... (at most 8 ndf) channels. The paper's is 64.</summary>
    public int DiscriminatorWidth { get; init; } = 32;

    /// <summary>
    /// Convolution blocks of the PatchGAN before its output layer: all but the last have stride 2. The paper's
    /// 4 (C64-C128-C256-C512) sees 70 x 70 patches; see <see cref="PatchDiscriminator.ReceptiveField"/>.
    /// </summary>
    public int DiscriminatorLayers { get; init; } = 2;

    /// <summary>The weight lambda of the L1 term in G's loss (the paper's 100).</summary>
    public double L1Weight { get; init; } = 100;

    /// <summary>Decoder blocks, from the bottleneck up, with dropout 0.5 (the paper's noise z; 3 in the paper).</summary>
    public int DropoutBlocks { get; init; } = 3;

    public double Beta1 { get; init; } = 0.5;

    public double Beta2 { get; init; } = 0.999;

    /// <summary>The image side S.</summary>
    public long Side => TargetShape[1];

    /// <summary>The side the U-Net works at: the smallest power of two P >= S (inputs are padded to it, outputs cropped back).</summary>
    public long PaddedSide => (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)Math.Max(Side, 1));

    /// <summary>Downsamplings of the U-Net: log2(P).</summary>
    public int Depth => System.Numerics.BitOperations.Log2((ulong)PaddedSide);

    /// <summary>Refuses options no pix2pix can have, in one line.</summary>
    public void Validate()
    {
        if (InputShape is not { Length: 3 } || TargetShape is not { Length: 3 })
            throw new InvalidInputException("pix2pix translates images [C, S, S].");
        if (InputShape[0] is not (1 or 3) || TargetShape[0] is not (1 or 3))
            throw new InvalidInputException($"pix2pix takes grey or colour images; got {InputShape[0]} -> {TargetShape[0]} channels.");
        long side = TargetShape[1];
        if (TargetShape[2] != side || InputShape[1] != side || InputShape[2] != side)
            throw new InvalidInputException($"pix2pix needs square inputs and targets of one side; got [{string.Join(", ", InputShape)}] -> " +
                $"[{string.Join(", ", TargetShape)}] (use --image-size N).");
        if (side < 9 || side > 256)
            throw new InvalidInputException($"pix2pix needs an image side from 9 to 256 (the U-Net pads it to a power of two from 16 and halves that down to 1 x 1); got {side} (use --image-size N).");
        if (GeneratorWidth < 1 || DiscriminatorWidth < 1) throw new InvalidInputException("ngf and ndf must be at least 1.");
        if (DiscriminatorLayers < 1 || DiscriminatorLayers > Depth - 1)
            throw new InvalidInputException($"d_layers must be from 1 to {Depth - 1} at side {side}; got {DiscriminatorLayers}.");
        if (!(L1Weight >= 0) || double.IsInfinity(L1Weight)) throw new InvalidInputException($"l1 must be a number >= 0; got {L1Weight}.");
        if (DropoutBlocks < 0 || DropoutBlocks > Depth - 1)
            throw new InvalidInputException($"dropout_blocks must be from 0 to {Depth - 1} at side {side}; got {DropoutBlocks}.");
        if (!(Beta1 >= 0 && Beta1 < 1) || !(Beta2 >= 0 && Beta2 < 1)) throw new InvalidInputException("beta1 and beta2 must lie in [0, 1).");
    }
}
