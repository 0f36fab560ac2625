using GenerativeSharp.Data;
using GenerativeSharp.Training.Optimizers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Training.Games;

/// <summary>What a player's move computes: its differentiable loss and any extra named metrics.</summary>
public sealed record PlayerMove(Tensor Loss, IReadOnlyDictionary<string, double>? Metrics = null);

/// <summary>
/// One player of an <see cref="AdversarialGame"/>: the networks it moves (as one flat parameter
/// buffer), its optimizer, how often it moves (every <see cref="Every"/>-th round), its move (a
/// loss over the round's batch) and what follows a move (e.g. folding G into its moving average).
/// </summary>
public sealed class Player : IDisposable
{
    /// <param name="name">short name: its loss is logged as NAME_loss and its optimizer state saved under it</param>
    /// <param name="title">what the player is, for messages ("critic", "generator")</param>
    /// <param name="parameters">the parameters its optimizer moves</param>
    /// <param name="optimizer">builds the optimizer over the flat parameters</param>
    /// <param name="every">moves in rounds r with r % every == 0 (r counted from 1)</param>
    /// <param name="move">the loss of a move on the round's batch</param>
    /// <param name="afterMove">called after each optimizer step, with the round number</param>
    public Player(string name, string title, IEnumerable<Parameter> parameters, Func<FlatParameters, IFlatOptimizer> optimizer, int every,
        Func<Batch, Generator, PlayerMove> move, Action<long>? afterMove = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        Name = name;
        Title = title;
        Parameters = new FlatParameters(parameters);
        Optimizer = optimizer(Parameters);
        Every = every;
        Move = move;
        AfterMove = afterMove;
    }

    public string Name { get; }

    public string Title { get; }

    public FlatParameters Parameters { get; }

    public IFlatOptimizer Optimizer { get; }

    public int Every { get; }

    public Func<Batch, Generator, PlayerMove> Move { get; }

    public Action<long>? AfterMove { get; }

    public void Dispose()
    {
        Optimizer.Dispose();
        Parameters.Dispose();
    }
}
