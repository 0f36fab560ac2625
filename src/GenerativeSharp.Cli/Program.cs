System.Console.WriteLine("gensharp");
