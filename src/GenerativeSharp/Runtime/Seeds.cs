namespace GenerativeSharp.Runtime;

/// <summary>Derives independent seeds from a run's seed and counters (SplitMix64 finaliser), so no RNG state needs saving for them.</summary>
public static class Seeds
{
    public static ulong Derive(long seed, params long[] parts)
    {
        ulong state = unchecked((ulong)seed);
        foreach (long part in parts)
            state = Mix(state ^ Mix(unchecked((ulong)part) + 0x9E3779B97F4A7C15UL));
        return Mix(state);
    }

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
