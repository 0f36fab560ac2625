using GenerativeSharp.Cli;

int code = GensharpCli.Run(args, Console.Out, Console.Error, ConsoleCancellation.Token);
return code == ExitCodes.Interrupted ? ConsoleCancellation.InterruptedExitCode : code;
