using GenerativeSharp.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Translation;

/// <summary>
/// The pix2pix discriminator, a PatchGAN (Isola et al. 2017, section 3.2.2 and appendix 6.1.2): it scores
/// every N x N patch of the channel concatenation (input, output) as real or fake, one logit per patch.
/// L convolution blocks Ck (4x4, LeakyReLU 0.2, batch norm except on the first), all but the last of
/// stride 2, with ndf, 2 ndf, 4 ndf, ... (at most 8 ndf) channels, then a 4x4 stride-1 convolution to one
/// channel. The paper's L = 4 (C64-C128-C256-C512) has a 70 x 70 receptive field at 256 px; here L = 2
/// (C-ndf, C-2ndf: 16 x 16 patches, half the side) at 32 px and L = 3 (34 x 34) at 64 px, about half the
/// image side (<see cref="ReceptiveField"/>).
/// </summary>
internal sealed class PatchDiscriminator : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Convolution2d> convs = new();
    private readonly ModuleList<nn.Module<Tensor, Tensor>> norms = new();
    private readonly Convolution2d output;

    public PatchDiscriminator(Pix2PixOptions options)
        : this(options.InputShape[0] + options.TargetShape[0], options.DiscriminatorWidth, options.DiscriminatorLayers, instanceNorm: false) { }

    /// <summary>
    /// A PatchGAN on <paramref name="channels"/>-channel inputs; <paramref name="instanceNorm"/> puts instance norm
    /// (without affine parameters, as in the CycleGAN authors' code) where pix2pix has batch norm.
    /// </summary>
    public PatchDiscriminator(long channels, int width, int layers, bool instanceNorm) : base(nameof(PatchDiscriminator))
    {
        for (int i = 0; i < layers; i++)
        {
            long next = (long)width << Math.Min(i, 3);
            convs.Add(new Convolution2d(channels, next, 4, stride: i < layers - 1 ? 2 : 1, padding: 1));
            if (i > 0) norms.Add(instanceNorm ? nn.InstanceNorm2d(next) : nn.BatchNorm2d(next));
            channels = next;
        }
        output = new Convolution2d(channels, 1, 4, stride: 1, padding: 1);
        RegisterComponents();
    }

    /// <summary>
    /// The side in pixels of the input patch one output logit sees with <paramref name="layers"/> blocks:
    /// r = 4 for the output layer, r + 3 for the last (stride-1) block, then r -> 2 r + 2 for each stride-2 block
    /// (r_in = (r_out - 1) stride + kernel): 16 for L = 2, 34 for L = 3, 70 for L = 4.
    /// </summary>
    public static int ReceptiveField(int layers)
    {
        int r = 4 + 3;
        for (int i = 0; i < layers - 1; i++) r = 2 * r + 2;
        return r;
    }

    /// <summary>pair [B, C_in + C_out, S, S] (or a single image [B, C, S, S] for CycleGAN) in [-1, 1] -> logits [B, 1, P, P], one per patch.</summary>
    public override Tensor forward(Tensor pair)
    {
        using var scope = NewDisposeScope();
        Tensor h = pair;
        for (int i = 0; i < convs.Count; i++)
        {
            h = convs[i].forward(h);
            if (i > 0) h = norms[i - 1].forward(h);
            h = nn.functional.leaky_relu(h, 0.2);
        }
        return output.forward(h).MoveToOuterDisposeScope();
    }
}
