namespace GenerativeSharp.Distributed;

/// <summary>A collective call between the ranks of a data-parallel run failed (a rank died, or the network did).</summary>
public sealed class DistributedException(string message) : Exception(message);
