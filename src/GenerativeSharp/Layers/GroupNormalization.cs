using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Layers;

/// <summary>
/// Group normalisation (Wu and He, "Group Normalization", ECCV 2018, arXiv:1803.08494) written out in tensor ops:
/// the channels of [B, C, ...] split into G groups, each normalised by its own mean and (biased) variance over the
/// group's channels and positions, then a per-channel scale and shift (initialised to 1 and 0). Written out because
/// libtorch 2.10's group_norm kernel returned NaN here on some CPU inputs.
/// </summary>
public sealed class GroupNormalization : nn.Module<Tensor, Tensor>
{
    private readonly long groups;
    private readonly double epsilon;
    private readonly Parameter weight;
    private readonly Parameter bias;

    public GroupNormalization(long groups, long channels, double epsilon = 1e-5) : base(nameof(GroupNormalization))
    {
        if (groups < 1 || channels % groups != 0)
            throw new ArgumentOutOfRangeException(nameof(groups), $"{channels} channels do not split into {groups} groups.");
        this.groups = groups;
        this.epsilon = epsilon;
        weight = nn.Parameter(ones(channels));
        bias = nn.Parameter(zeros(channels));
        RegisterComponents();
    }

    /// <summary>x [B, C, ...] -> [B, C, ...].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], c = x.shape[1];
        Tensor grouped = x.reshape(b, groups, -1);                                       // [B, C, ...] -> [B, G, C/G * positions]
        Tensor mean = grouped.mean([2], keepdim: true);
        Tensor variance = (grouped - mean).square().mean([2], keepdim: true);
        Tensor normalised = ((grouped - mean) / (variance + epsilon).sqrt()).reshape(x.shape);   // back to [B, C, ...]
        long[] perChannel = [1, c, .. Enumerable.Repeat(1L, (int)x.dim() - 2)];
        return (normalised * weight.view(perChannel) + bias.view(perChannel)).MoveToOuterDisposeScope();
    }
}
