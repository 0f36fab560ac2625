using GenerativeSharp.Data;
using GenerativeSharp.Distributed;
using GenerativeSharp.Training.Optimizers;
using static TorchSharp.torch;

namespace GenerativeSharp.Training.Games;

/// <summary>
/// A game of N players over one batch per round: in each round every player whose turn it is
/// (round % Every == 0) moves in order: its gradient is zeroed, the other players' parameters
/// are frozen (no gradient work for them), its loss is computed on the batch, checked for being
/// finite, back-propagated, and its optimizer steps. A two-player GAN (D then G every n_critic
/// rounds) is one such game (<see cref="AdversarialStep"/>); CycleGAN's two generators and two
/// critics are another. In a data-parallel run each mover's flat gradient is averaged over the ranks before its
/// optimizer steps (<see cref="DataParallel.AverageGradients"/>). Every player's optimizer state and the round count go into the checkpoint.
/// </summary>
public sealed class AdversarialGame : ITrainingStep, IDisposable
{
    private readonly IReadOnlyList<Player> players;
    private readonly string roundsKey;

    /// <param name="players">in the order they move within a round; the first one's loss is also logged as "loss"</param>
    /// <param name="roundsKey">the checkpoint name of the round count</param>
    public AdversarialGame(IReadOnlyList<Player> players, string roundsKey = "_gensharp.game.rounds")
    {
        if (players.Count == 0) throw new ArgumentException("a game needs at least one player.", nameof(players));
        if (players.Select(p => p.Name).Distinct().Count() != players.Count)
            throw new ArgumentException("players need distinct names.", nameof(players));
        this.players = players;
        this.roundsKey = roundsKey;
    }

    /// <summary>Rounds played so far (the round being played, inside a move).</summary>
    public long Rounds { get; private set; }

    public IReadOnlyList<Player> Players => players;

    public Player this[string name] => players.First(p => p.Name == name);

    /// <summary>One round: every player whose turn it is moves once, in order.</summary>
    public IReadOnlyDictionary<string, double> Step(Batch batch, Generator generator)
    {
        Rounds++;
        var metrics = new Dictionary<string, double>();
        foreach (Player player in players)
        {
            if (Rounds % player.Every != 0) continue;
            double loss = MoveOnce(player, batch, generator, metrics);
            if (ReferenceEquals(player, players[0])) metrics["loss"] = loss;
        }
        return metrics;
    }

    /// <summary>One move of <paramref name="player"/> outside the round schedule (tests, and games that drive their players themselves).</summary>
    public IReadOnlyDictionary<string, double> Move(Player player, Batch batch, Generator generator)
    {
        var metrics = new Dictionary<string, double>();
        MoveOnce(player, batch, generator, metrics);
        return metrics;
    }

    private double MoveOnce(Player player, Batch batch, Generator generator, Dictionary<string, double> metrics)
    {
        player.Optimizer.ZeroGrad();
        var others = players.Where(p => !ReferenceEquals(p, player)).SelectMany(p => p.Parameters.Parameters).ToList();
        foreach (var p in others) p.requires_grad = false;
        try
        {
            PlayerMove move = player.Move(batch, generator);
            double value = move.Loss.item<float>();
            if (!double.IsFinite(value))
                throw new TrainingDivergedException($"the {player.Title}'s loss became {value}; lower the learning rate (--lr).");
            move.Loss.backward();
            DataParallel.Current?.AverageGradients(player.Parameters.Gradients);    // data-parallel: each player's own buffer
            player.Optimizer.Step();
            player.AfterMove?.Invoke(Rounds);
            metrics[$"{player.Name}_loss"] = value;
            foreach (var (name, metric) in move.Metrics ?? new Dictionary<string, double>()) metrics[name] = metric;
            return value;
        }
        finally
        {
            foreach (var p in others) p.requires_grad = true;
        }
    }

    public void SaveState(IDictionary<string, Tensor> state)
    {
        foreach (Player player in players) player.Optimizer.SaveState(state, OptimizerPrefix(player));
        state[roundsKey] = tensor(Rounds);
    }

    public void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        foreach (Player player in players) player.Optimizer.LoadState(state, OptimizerPrefix(player));
        Rounds = FlatState.Get(state, roundsKey, null).item<long>();
    }

    private static string OptimizerPrefix(Player player) => $"_gensharp.optimizer_{player.Name}.";

    public void Dispose()
    {
        foreach (Player player in players) player.Dispose();
    }
}
