using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Diffusion;

/// <summary>
/// eps_theta for vectors [B, D]: the input lifted to width H, <c>depth</c> residual blocks SiLU-Linear-(+ time)-SiLU-Linear,
/// each adding a projection of the sinusoidal time embedding (Ho et al. 2020, arXiv:2006.11239), then a linear read-out.
/// With classes, a learned <see cref="ClassEmbedding"/> is added to the time embedding (Ho and Salimans 2022,
/// arXiv:2207.12598).
/// </summary>
public sealed class MlpNoiseNetwork : NoiseNetwork
{
    private const int EmbeddingWidth = 64;

    private readonly Linear input;
    private readonly Sequential time;
    private readonly ModuleList<Linear> first = new();
    private readonly ModuleList<Linear> timeProjections = new();
    private readonly ModuleList<Linear> second = new();
    private readonly Linear output;
    private readonly ClassEmbedding? classes;

    public MlpNoiseNetwork(long dimensions, int hidden, int depth, int classCount = 0) : base(nameof(MlpNoiseNetwork))
    {
        input = nn.Linear(dimensions, hidden);
        time = nn.Sequential(nn.Linear(EmbeddingWidth, hidden), nn.SiLU(), nn.Linear(hidden, hidden));
        for (int i = 0; i < depth; i++)
        {
            first.Add(nn.Linear(hidden, hidden));
            timeProjections.Add(nn.Linear(hidden, hidden));
            second.Add(nn.Linear(hidden, hidden));
        }
        output = nn.Linear(hidden, dimensions);
        classes = classCount > 0 ? new ClassEmbedding(classCount, hidden) : null;
        RegisterComponents();
    }

    /// <summary>x_t [B, D], t [B] int64, context (see <see cref="NoiseNetwork.Forward"/>) -> predicted noise [B, D].</summary>
    public override Tensor Forward(Tensor xt, Tensor t, Tensor? context)
    {
        if (classes is null && context is not null) throw new ArgumentException("this network is unconditional; it takes no class context.", nameof(context));
        using var scope = NewDisposeScope();
        Tensor embedding = time.forward(TimeEmbedding.Sinusoidal(t, EmbeddingWidth));   // [B, H]
        if (classes is not null) embedding = embedding + classes.Of(context, xt.shape[0], xt.device);
        Tensor h = input.forward(xt);
        for (int i = 0; i < first.Count; i++)
        {
            Tensor inner = first[i].forward(nn.functional.silu(h)) + timeProjections[i].forward(nn.functional.silu(embedding));
            h = h + second[i].forward(nn.functional.silu(inner));
        }
        return output.forward(nn.functional.silu(h)).MoveToOuterDisposeScope();
    }
}
