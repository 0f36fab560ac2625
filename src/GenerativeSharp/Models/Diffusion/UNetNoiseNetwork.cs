using GenerativeSharp.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Diffusion;

/// <summary>
/// eps_theta for images [B, C, S, S]: a small U-Net (Ronneberger et al. 2015) as in Ho et al. 2020 (arXiv:2006.11239,
/// appendix B), with a sinusoidal time embedding fed to every <see cref="ResidualBlock"/>: a 3x3 convolution to width c,
/// one residual block per level at widths c * mult (mult 1, 2, 2, and 2 more for S &gt;= 64), stride-2 convolutions
/// down, a middle of block, optional <see cref="SelfAttention2d"/>, block, then back up through blocks on the
/// concatenated skip and nearest-neighbour upsampling plus a 3x3 convolution; GroupNorm-SiLU and a zero-initialised
/// 3x3 convolution out. Needs S divisible by 2^(levels - 1). With classes, a learned <see cref="ClassEmbedding"/> is
/// added to the time embedding (Ho and Salimans 2022, arXiv:2207.12598).
/// </summary>
public sealed class UNetNoiseNetwork : NoiseNetwork
{
    private readonly int embeddingWidth;
    private readonly Sequential time;
    private readonly Convolution2d input;
    private readonly ModuleList<ResidualBlock> down = new();
    private readonly ModuleList<Convolution2d> downsample = new();
    private readonly ResidualBlock middle1;
    private readonly SelfAttention2d? attention;
    private readonly ResidualBlock middle2;
    private readonly ModuleList<ResidualBlock> up = new();
    private readonly ModuleList<Convolution2d> upsample = new();
    private readonly GroupNormalization outNorm;
    private readonly Convolution2d output;
    private readonly ClassEmbedding? classes;

    public UNetNoiseNetwork(long imageChannels, long side, int channels, bool withAttention, int classCount = 0) : base(nameof(UNetNoiseNetwork))
    {
        int[] multipliers = Multipliers(side);
        embeddingWidth = channels;
        long timeWidth = 4L * channels;
        time = nn.Sequential(nn.Linear(channels, timeWidth), nn.SiLU(), nn.Linear(timeWidth, timeWidth));
        input = new Convolution2d(imageChannels, channels, 3, padding: 1);
        long width = channels;
        var widths = new List<long>();
        for (int level = 0; level < multipliers.Length; level++)
        {
            long next = (long)channels * multipliers[level];
            down.Add(new ResidualBlock(width, next, timeWidth));
            width = next;
            widths.Add(width);
            if (level + 1 < multipliers.Length) downsample.Add(new Convolution2d(width, width, 3, stride: 2, padding: 1));
        }
        middle1 = new ResidualBlock(width, width, timeWidth);
        attention = withAttention ? new SelfAttention2d(width) : null;
        middle2 = new ResidualBlock(width, width, timeWidth);
        for (int level = multipliers.Length - 1; level >= 0; level--)
        {
            long next = (long)channels * multipliers[level];
            up.Add(new ResidualBlock(width + widths[level], next, timeWidth));
            width = next;
            if (level > 0) upsample.Add(new Convolution2d(width, width, 3, padding: 1));
        }
        outNorm = new GroupNormalization(ResidualBlock.Groups(width), width);
        output = new Convolution2d(width, imageChannels, 3, padding: 1);
        classes = classCount > 0 ? new ClassEmbedding(classCount, timeWidth) : null;
        using (no_grad())
        {
            output.Weight.zero_();
            output.Bias?.zero_();
        }
        RegisterComponents();
    }

    /// <summary>Channel multipliers per level: (1, 2, 2) below side 64, (1, 2, 2, 2) from 64 on.</summary>
    public static int[] Multipliers(long side) => side >= 64 ? [1, 2, 2, 2] : [1, 2, 2];

    /// <summary>Why an image of this side does not fit, or null.</summary>
    public static string? Misfit(long side)
    {
        long factor = 1L << (Multipliers(side).Length - 1);
        return side % factor == 0 ? null : $"needs images whose side divides by {factor}";
    }

    /// <summary>x_t [B, C, S, S], t [B] int64, context (see <see cref="NoiseNetwork.Forward"/>) -> predicted noise [B, C, S, S].</summary>
    public override Tensor Forward(Tensor xt, Tensor t, Tensor? context)
    {
        if (classes is null && context is not null) throw new ArgumentException("this network is unconditional; it takes no class context.", nameof(context));
        using var scope = NewDisposeScope();
        Tensor embedding = time.forward(TimeEmbedding.Sinusoidal(t, embeddingWidth));   // [B, 4c]
        if (classes is not null) embedding = embedding + classes.Of(context, xt.shape[0], xt.device);
        Tensor h = input.forward(xt);
        var skips = new List<Tensor>();
        for (int level = 0; level < down.Count; level++)
        {
            h = down[level].forward(h, embedding);
            skips.Add(h);
            if (level < downsample.Count) h = downsample[level].forward(h);
        }
        h = middle1.forward(h, embedding);
        if (attention is not null) h = attention.forward(h);
        h = middle2.forward(h, embedding);
        for (int i = 0; i < up.Count; i++)
        {
            h = up[i].forward(cat([h, skips[down.Count - 1 - i]], 1), embedding);
            if (i < upsample.Count)
                h = upsample[i].forward(h.repeat_interleave(2, 2).repeat_interleave(2, 3));   // [B, C, S, S] -> [B, C, 2S, 2S]
        }
        return output.forward(nn.functional.silu(outNorm.forward(h))).MoveToOuterDisposeScope();
    }
}
