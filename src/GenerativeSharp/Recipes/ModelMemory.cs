using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Recipes;

/// <summary>
/// Refuses a model whose weights would not fit the machine before any of them is allocated: the model
/// is built once on libtorch's meta device (shapes, no storage) to count its bytes, which are compared
/// with the memory available. TorchSharp's default device is process-wide, so this is done only where
/// nothing else creates tensors meanwhile: the command line's own process sets
/// <see cref="ProcessMaySizeOnMetaDevice"/> at start (in-process hosts such as the tests do not).
/// </summary>
public static class ModelMemory
{
    /// <summary>Set by a process's entry point when no other thread creates tensors while a model is sized.</summary>
    public static bool ProcessMaySizeOnMetaDevice { get; set; }

    /// <summary>
    /// Throws when <paramref name="multiple"/> times the weights of the model <paramref name="optionsJson"/>
    /// describes exceed the available memory (4 to train: weights, gradients and Adam's two moments; 1 to load).
    /// </summary>
    public static void Check(IModelRecipe recipe, string optionsJson, int multiple, string purpose)
    {
        if (!ProcessMaySizeOnMetaDevice || WeightBytes(recipe, optionsJson) is not double bytes) return;
        long available = AvailableBytes();
        if (bytes * multiple <= available) return;
        if (double.IsInfinity(bytes))
            throw new InvalidInputException($"this {recipe.Info.Name}'s options describe a tensor too large to address (over 2^63 bytes): choose smaller sizes (--set).");
        throw new InvalidInputException($"this {recipe.Info.Name} has {Gib(bytes)} GiB of weights; {purpose} needs about {Gib(bytes * multiple)} GiB, " +
            $"more than the {Gib(available)} GiB of memory available: choose smaller sizes (--set).");
    }

    /// <summary>The bytes of the model's parameters and buffers, counted on the meta device; null when it cannot be built there.</summary>
    public static double? WeightBytes(IModelRecipe recipe, string optionsJson)
    {
        lock (Runtime.GlobalRandom.Lock)
        {
            Device previous = get_default_device();
            set_default_device(META);
            try
            {
                using nn.Module module = recipe.Build(optionsJson);
                return module.parameters().Concat(module.buffers()).Sum(t => (double)t.numel() * t.ElementSize);   // double: no overflow
            }
            catch (Exception e) when (e is not InvalidInputException && e.Message.Contains("overflow", StringComparison.OrdinalIgnoreCase))
            {
                return double.PositiveInfinity;                                      // a tensor too large even to address
            }
            catch (Exception e) when (e is not InvalidInputException)
            {
                return null;                                                         // a model the meta device cannot build is built for real
            }
            finally
            {
                set_default_device(previous);
            }
        }
    }

    /// <summary>MemAvailable of /proc/meminfo where there is one, else what .NET reports as available.</summary>
    private static long AvailableBytes()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/meminfo"))
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)
                    && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out long kib))
                    return kib * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // not Linux: fall through
        }
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }

    private static string Gib(double bytes) => (bytes / (1L << 30)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
}
