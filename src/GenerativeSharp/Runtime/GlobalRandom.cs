namespace GenerativeSharp.Runtime;

/// <summary>
/// TorchSharp's module constructors draw initial weights from torch's process-wide RNG. Code that
/// seeds it and builds a model holds this lock, so two models built at once in one process (tests,
/// a host application) still get the weights their seeds promise.
/// </summary>
public static class GlobalRandom
{
    public static readonly object Lock = new();
}
