System.Console.WriteLine(GenerativeSharp.Runtime.Probe.Sum());
