using System.CommandLine;
using GenerativeSharp.Data;
using GenerativeSharp.Distributions;
using GenerativeSharp.Imaging;
using GenerativeSharp.Models;
using GenerativeSharp.Runs;
using GenerativeSharp.Runtime;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Cli.Commands;

/// <summary><c>gensharp chain DIR</c>: a picture of a Markov-chain sampler over time, one row per chain.</summary>
internal static class ChainCommand
{
    public static Command Create(CliContext context)
    {
        var directory = new Argument<string>("DIR") { Description = "a run directory of a Markov-chain model (rbm, gsn)" };
        var count = new Option<int>("--count") { Description = "chains (rows)", DefaultValueFactory = _ => 8 };
        var snapshots = new Option<int>("--snapshots") { Description = "pictures per chain (columns)", DefaultValueFactory = _ => 12 };
        var thinning = new Option<int>("--thinning") { Description = "chain steps between pictures", DefaultValueFactory = _ => 50 };
        var burnIn = new Option<int>("--burnin") { Description = "chain steps before the first picture", DefaultValueFactory = _ => 0 };
        var from = new Option<string>("--from") { Description = "start at noise or at test images (data)", DefaultValueFactory = _ => "noise" };
        var seed = CommonOptions.Seed();
        var output = new Option<string?>("--out") { Description = "PNG file (default DIR/chain-FROM.png)" };
        var data = CommonOptions.Data(required: false);
        var dataRoot = CommonOptions.DataRoot();
        var device = CommonOptions.Device();
        var command = new Command("chain", "Run a Markov-chain sampler and draw each chain over time.")
        {
            directory, count, snapshots, thinning, burnIn, from, seed, output, data, dataRoot, device,
        };
        command.SetAction(parsed =>
        {
            string dir = parsed.GetValue(directory)!;
            int chains = CommonOptions.Positive("--count", parsed.GetValue(count));
            int frames = CommonOptions.Positive("--snapshots", parsed.GetValue(snapshots));
            int every = CommonOptions.Positive("--thinning", parsed.GetValue(thinning));
            int burn = parsed.GetValue(burnIn);
            if (burn < 0) throw new InvalidInputException($"--burnin {burn}: expected an integer >= 0.");
            string start = parsed.GetValue(from)!.ToLowerInvariant();
            if (start is not ("noise" or "data")) throw new InvalidInputException($"--from {start}: expected noise or data.");
            torch.Device target = TorchRuntime.ResolveDevice(parsed.GetValue(device)!);
            using LoadedCheckpoint checkpoint = Checkpoint.Load(dir, target);
            using var model = checkpoint.Model;
            if (model.Model is not IMarkovChainModel sampler)
                throw new InvalidInputException($"{model.Recipe.Info.Name} does not sample by a Markov chain; chain works for rbm and gsn.");
            if (model.Model.EventShape.Length != 3)
                throw new InvalidInputException("chain draws image grids; this model was trained on 2-D points (use 'gensharp sample').");
            using var scope = torch.NewDisposeScope();
            using var generator = new torch.Generator((ulong)parsed.GetValue(seed), target);
            torch.Tensor first = start == "data"
                ? TestImages(parsed.GetValue(data) ?? checkpoint.State.Data, parsed.GetValue(dataRoot), checkpoint, chains, context).to(target)
                : Bernoulli.Draw(torch.full(new[] { (long)chains }.Concat(model.Model.EventShape).ToArray(), 0.5f, device: target), generator);
            torch.Tensor frames_ = sampler.Chain(first, burn, frames, every, generator).cpu();      // [S, B, C, H, W]
            torch.Tensor rows = frames_.transpose(0, 1).flatten(0, 1);                              // [B * S, C, H, W], row = chain
            string path = parsed.GetValue(output) ?? Path.Combine(dir, $"chain-{start}.png");
            ImageGrid.Write(path, rows, columns: frames, padding: 2, scale: 2);
            context.Out.WriteLine($"wrote {path}: {chains} chains from {start}, a picture every {every} steps after {burn}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static torch.Tensor TestImages(string spec, string? dataRoot, LoadedCheckpoint checkpoint, int count, CliContext context)
    {
        using DataSplits splits = TrainingRun.LoadData(checkpoint.State, dataRoot, context.Error, spec == checkpoint.State.Data ? null : spec);
        using torch.Tensor images = splits.Test.Examples.narrow(0, 0, Math.Min(count, splits.Test.Count));
        return checkpoint.State.Binarize == BinarizationMode.None ? images.clone() : Binarization.Static(images);
    }
}
