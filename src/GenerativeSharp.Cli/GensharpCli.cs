using System.CommandLine;
using GenerativeSharp.Cli.Commands;
using GenerativeSharp.Training;

namespace GenerativeSharp.Cli;

/// <summary>
/// The <c>gensharp</c> command line: thin commands over the library. Every bad input ends in one line
/// on standard error and exit code 2, never a stack trace (set GENSHARP_DEBUG=1 to see one for
/// internal errors).
/// </summary>
public static class GensharpCli
{
    public static int Run(string[] args, TextWriter output, TextWriter error, CancellationToken cancel = default)
    {
        var context = new CliContext(output, error, cancel);
        var root = new RootCommand("GenerativeSharp: train, sample and evaluate deep generative models.")
        {
            ModelsCommand.Create(context),
            TrainCommand.Create(context),
            SampleCommand.Create(context),
            EvalCommand.Create(context),
            InterpolateCommand.Create(context),
            ChainCommand.Create(context),
            CompleteCommand.Create(context),
            QuickstartCommand.Create(context),
            BenchCommand.Create(context),
            FeaturesCommand.Create(context),
            BreedCommand.Create(context),
        };
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            string command = parsed.CommandResult.Command == root ? "" : parsed.CommandResult.Command.Name + " ";
            // The parser lists "required command missing" before the unknown word that caused it: name the word.
            var first = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0];
            error.WriteLine($"gensharp: {first.Message} (see 'gensharp {command}--help')");
            return ExitCodes.BadInput;
        }
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        try
        {
            return parsed.Invoke(configuration);
        }
        catch (InvalidInputException e)
        {
            error.WriteLine($"gensharp: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (TrainingDivergedException e)
        {
            error.WriteLine($"gensharp: training stopped: {e.Message} The last epoch's checkpoint is kept.");
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            error.WriteLine($"gensharp: internal error: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
            if (Environment.GetEnvironmentVariable("GENSHARP_DEBUG") == "1") error.WriteLine(e);
            return ExitCodes.Failure;
        }
    }
}
