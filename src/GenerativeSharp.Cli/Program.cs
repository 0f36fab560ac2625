using GenerativeSharp.Cli;

return GensharpCli.Run(args, Console.Out, Console.Error, ConsoleCancellation.Token);
