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
            AttributeCommand.Create(context),
            ReconstructCommand.Create(context),
            ChainCommand.Create(context),
            CompleteCommand.Create(context),
            QuickstartCommand.Create(context),
            BenchCommand.Create(context),
            FeaturesCommand.Create(context),
            BreedCommand.Create(context),
            TranslateCommand.Create(context),
            ExportCommand.Create(context),
            ImportCommand.Create(context),
            ServeCommand.Create(context),
        };
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            string command = parsed.CommandResult.Command == root ? "" : parsed.CommandResult.Command.Name + " ";
            // The parser lists "required command missing" before the unknown word that caused it: name the word.
            var first = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0];
            error.WriteLine($"gensharp: {InWords(first.Message)} (see 'gensharp {command}--help')");
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
        catch (Exception e) when (OutOfMemory(e) is string needed)
        {
            error.WriteLine($"gensharp: the request needs more memory than this machine has ({needed}); choose smaller sizes (--set, --count, --batch-size).");
            return ExitCodes.BadInput;
        }
        catch (StorageException e)
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

    /// <summary>The parser's type names in words: "expected type 'System.Nullable`1[System.Int64]'" becomes "expected an integer".</summary>
    internal static string InWords(string message) => System.Text.RegularExpressions.Regex.Replace(message,
        @"as expected type '(System\.Nullable`1\[)?System\.(?<type>\w+)\]?'",
        m => m.Groups["type"].Value switch
        {
            "Int32" or "Int64" => "expected an integer",
            "Double" or "Single" => "expected a number",
            "Boolean" => "expected true or false",
            var other => $"expected a {other.ToLowerInvariant()}",
        });

    /// <summary>The allocation size named by libtorch's or .NET's out-of-memory failure, or null for any other error.</summary>
    private static string? OutOfMemory(Exception e)
    {
        if (e is OutOfMemoryException or InsufficientExecutionStackException) return "out of memory";
        var match = System.Text.RegularExpressions.Regex.Match(e.Message, @"can't allocate memory: you tried to allocate (\d+) bytes");
        if (!match.Success) return null;
        double gib = double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) / (1L << 30);
        return $"one tensor alone would take {gib:0.#} GiB";
    }
}
