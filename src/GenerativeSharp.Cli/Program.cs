using GenerativeSharp.Cli;

GenerativeSharp.Recipes.ModelMemory.ProcessMaySizeOnMetaDevice = true;   // this process alone creates tensors while a model is sized
int code = GensharpCli.Run(args, Console.Out, Console.Error, ConsoleCancellation.Token);
return code == ExitCodes.Interrupted ? ConsoleCancellation.InterruptedExitCode : code;
