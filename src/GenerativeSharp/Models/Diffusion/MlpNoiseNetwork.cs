using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Diffusion;

/// <summary>
/// eps_theta for vectors [B, D]: the input lifted to width H, <c>depth</c> residual blocks SiLU-Linear-(+ time)-SiLU-Linear,
/// each adding a projection of the sinusoidal time embedding (Ho et al. 2020, arXiv:2006.11239), then a linear read-out.
/// </summary>
public sealed class MlpNoiseNetwork : nn.Module<Tensor, Tensor, Tensor>
{
    private const int EmbeddingWidth = 64;

    private readonly Linear input;
    private readonly Sequential time;
    private readonly ModuleList<Linear> first = new();
    private readonly ModuleList<Linear> timeProjections = new();
    private readonly ModuleList<Linear> second = new();
    private readonly Linear output;

    public MlpNoiseNetwork(long dimensions, int hidden, int depth) : base(nameof(MlpNoiseNetwork))
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
        RegisterComponents();
    }

    /// <summary>x_t [B, D], t [B] int64 -> predicted noise [B, D].</summary>
    public override Tensor forward(Tensor xt, Tensor t)
    {
        using var scope = NewDisposeScope();
        Tensor embedding = time.forward(TimeEmbedding.Sinusoidal(t, EmbeddingWidth));   // [B, H]
        Tensor h = input.forward(xt);
        for (int i = 0; i < first.Count; i++)
        {
            Tensor inner = first[i].forward(nn.functional.silu(h)) + timeProjections[i].forward(nn.functional.silu(embedding));
            h = h + second[i].forward(nn.functional.silu(inner));
        }
        return output.forward(nn.functional.silu(h)).MoveToOuterDisposeScope();
    }
}
