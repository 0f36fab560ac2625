using GenerativeSharp.Distributed;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Bijectors;

/// <summary>
/// Activation normalisation (Kingma and Dhariwal 2018, "Glow: Generative Flow with Invertible 1x1
/// Convolutions", arXiv:1807.03039, section 3.1): a per-channel affine map x = z exp(logScale) + loc,
/// so z = (x - loc) exp(-logScale). On the first data -> latent pass in training mode the
/// parameters are set from that batch so that z has zero mean and unit variance per channel
/// (data-dependent initialisation); a persistent flag remembers that it happened. In a data-parallel step the
/// statistics are those of the global batch, all-reduced over the ranks, so every rank starts from the same parameters.
/// Works on vectors [B, C] and images [B, C, H, W].
/// </summary>
public sealed class ActNorm : Bijector
{
    private readonly Parameter loc;        // [C]
    private readonly Parameter logScale;   // [C]
    private readonly Tensor initialized;   // [] 0 or 1, saved with the model
    private bool knownInitialized;         // caches a 1 read from the flag (saves a device sync per call)

    public ActNorm(long channels) : base(nameof(ActNorm))
    {
        loc = nn.Parameter(zeros(channels));
        logScale = nn.Parameter(zeros(channels));
        initialized = zeros(Array.Empty<long>());
        RegisterComponents();
    }

    /// <summary>Whether the data-dependent initialisation has run.</summary>
    public bool Initialized => knownInitialized || (knownInitialized = initialized.item<float>() > 0);

    public override (Tensor Output, Tensor LogDet) Forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        long[] shape = ChannelShape(z);
        Tensor x = z * logScale.exp().view(shape) + loc.view(shape);
        return (x.MoveToOuterDisposeScope(), LogDet(z).MoveToOuterDisposeScope());
    }

    public override (Tensor Output, Tensor LogDet) Inverse(Tensor x)
    {
        if (training && !Initialized) InitializeFrom(x);
        using var scope = NewDisposeScope();
        long[] shape = ChannelShape(x);
        Tensor z = (x - loc.view(shape)) * (-logScale).exp().view(shape);
        return (z.MoveToOuterDisposeScope(), (-LogDet(x)).MoveToOuterDisposeScope());
    }

    /// <summary>loc = per-channel mean, logScale = log per-channel std of <paramref name="x"/> (in place: the parameters may be views of a flat buffer).</summary>
    private void InitializeFrom(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor perChannel = x.transpose(0, 1).reshape(x.shape[1], -1);   // [C, B * H * W]
        if (DataParallel.Current is { Shard: not null } parallel)
        {
            (Tensor mean, Tensor std) = GlobalStatistics(perChannel, parallel);
            loc.copy_(mean);
            logScale.copy_((std + 1e-6).log());
        }
        else
        {
            loc.copy_(perChannel.mean([1]));
            logScale.copy_((perChannel.std(1) + 1e-6).log());
        }
        initialized.fill_(1);
    }

    /// <summary>
    /// The per-channel mean and unbiased std of the global batch in a data-parallel step, the same on every rank: two passes
    /// (sum and count, then the sum of squared deviations from the global mean), each one all-reduce, in float64.
    /// </summary>
    private static (Tensor Mean, Tensor Std) GlobalStatistics(Tensor perChannel, DataParallel parallel)
    {
        Tensor local = perChannel.to(ScalarType.Float64);                                   // [C, n]
        Tensor sums = parallel.SumOverRanks(cat([local.sum([1]), tensor(new double[] { local.shape[1] }, ScalarType.Float64)]));
        long channels = perChannel.shape[0];
        Tensor count = sums[channels];
        Tensor mean = (sums.narrow(0, 0, channels) / count).to(perChannel.device);          // [C]
        Tensor squares = parallel.SumOverRanks((local - mean.unsqueeze(1)).square().sum([1])).to(perChannel.device);
        Tensor std = (squares / (count.to(perChannel.device) - 1)).sqrt();
        return (mean.to(perChannel.dtype), std.to(perChannel.dtype));
    }

    /// <summary>log |det dx/dz| = (H W) sum logScale, the same for every example: [B].</summary>
    private Tensor LogDet(Tensor z)
    {
        long positions = z.dim() > 2 ? z.shape.Skip(2).Aggregate(1L, (a, b) => a * b) : 1;
        return (logScale.sum() * positions).expand(z.shape[0]);
    }

    private static long[] ChannelShape(Tensor t) => [1, t.shape[1], .. Enumerable.Repeat(1L, (int)t.dim() - 2)];
}
