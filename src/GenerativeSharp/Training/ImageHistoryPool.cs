using GenerativeSharp.Runtime;
using static TorchSharp.torch;

namespace GenerativeSharp.Training;

/// <summary>
/// A history of generated images for a discriminator (Shrivastava et al., "Learning from Simulated and
/// Unsupervised Images through Adversarial Training", CVPR 2017, section 2.3; used by Zhu et al. 2017, section 4,
/// with 50 images): D is shown a mix of the newest fakes and older ones, which damps oscillation. While the pool
/// fills, each new image is stored and returned as it is; once full, each image is, with probability 1/2, swapped
/// for a stored one drawn uniformly (the stored one is returned, the new one takes its place), else returned as it
/// is. Draws come only from the step's generator. The pool is one preallocated buffer, so a full pool creates
/// no tensor that outlives a step; it goes into the checkpoint.
/// </summary>
public sealed class ImageHistoryPool : IDisposable
{
    private readonly string key;
    private Tensor? buffer;                                  // [Capacity, C, S, S], the first Stored rows in use

    /// <param name="capacity">images kept (0: every call returns its input)</param>
    /// <param name="key">the checkpoint name of the buffer (the count is saved under KEY.count)</param>
    public ImageHistoryPool(int capacity, string key)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
        this.key = key;
    }

    public int Capacity { get; }

    /// <summary>Images stored so far (at most <see cref="Capacity"/>).</summary>
    public int Stored { get; private set; }

    /// <summary>
    /// The images to show D in place of <paramref name="images"/> [B, C, S, S] (detached, as stored): [B, C, S, S].
    /// Draws B uniforms and B indices from <paramref name="generator"/> on every call once the capacity is above 0.
    /// </summary>
    public Tensor Query(Tensor images, Generator? generator)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor fresh = images.detach();
        if (Capacity == 0) return fresh.clone().MoveToOuterDisposeScope();
        if (buffer is null)
        {
            buffer = zeros([Capacity, .. fresh.shape.Skip(1)], fresh.dtype, fresh.device);
            buffer.DetachFromDisposeScope();
        }
        else if (buffer.device_type != fresh.device_type || buffer.device_index != fresh.device_index)   // loaded from a checkpoint on another device
        {
            Tensor moved = buffer.to(fresh.device);
            moved.DetachFromDisposeScope();
            buffer.Dispose();
            buffer = moved;
        }
        long count = fresh.shape[0];
        float[] coins = SeededRandom.Uniform([count], ScalarType.Float32, CPU, generator).data<float>().ToArray();
        long[] slots = SeededRandom.Integers(Capacity, [count], ScalarType.Int64, CPU, generator).data<long>().ToArray();
        var chosen = new List<Tensor>((int)count);
        for (int i = 0; i < count; i++)
        {
            Tensor image = fresh[i];                                                   // [C, S, S]
            if (Stored < Capacity)
            {
                buffer[Stored].copy_(image);
                Stored++;
                chosen.Add(image.clone());
            }
            else if (coins[i] < 0.5f)
            {
                chosen.Add(buffer[slots[i]].clone());                                   // an older fake for D
                buffer[slots[i]].copy_(image);
            }
            else
            {
                chosen.Add(image.clone());
            }
        }
        return stack(chosen).MoveToOuterDisposeScope();                                  // [B, C, S, S]
    }

    public void SaveState(IDictionary<string, Tensor> state)
    {
        state[key + ".count"] = tensor((long)Stored);
        if (buffer is not null) state[key] = buffer.narrow(0, 0, Stored).clone();
    }

    public void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        if (!state.TryGetValue(key + ".count", out Tensor? count) || count.numel() != 1)
            throw new InvalidInputException($"the checkpoint holds no image pool '{key}'; it cannot be resumed.");
        int stored = (int)count.item<long>();
        if (stored < 0 || stored > Capacity)
            throw new InvalidInputException($"the checkpoint's image pool '{key}' holds {stored} images, more than its {Capacity}; it belongs to another model.");
        buffer?.Dispose();
        buffer = null;
        Stored = stored;
        if (stored == 0) return;
        if (!state.TryGetValue(key, out Tensor? saved) || saved.shape[0] != stored)
            throw new InvalidInputException($"the checkpoint's image pool '{key}' is damaged.");
        buffer = zeros([Capacity, .. saved.shape.Skip(1)], saved.dtype, saved.device);
        buffer.DetachFromDisposeScope();
        using (no_grad()) buffer.narrow(0, 0, stored).copy_(saved);
    }

    public void Dispose()
    {
        buffer?.Dispose();
        buffer = null;
    }
}
