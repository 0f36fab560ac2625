using TorchSharp;

namespace GenerativeSharp.Persistence;

/// <summary>
/// What a safetensors file holds once read: named CPU tensors and string metadata.
/// The tensors belong to this object (they are in no dispose scope) until <see cref="Dispose"/>;
/// keep one alive past it with <c>tensor.clone()</c> or by copying it into a module.
/// </summary>
public sealed class SafeTensorsContent : IDisposable
{
    private readonly Dictionary<string, torch.Tensor> _tensors;
    private bool _disposed;

    internal SafeTensorsContent(Dictionary<string, torch.Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        _tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>The tensors by name, on the CPU.</summary>
    public IReadOnlyDictionary<string, torch.Tensor> Tensors
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _tensors;
        }
    }

    /// <summary>The file's "__metadata__" strings; empty when it has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Disposes every tensor this object owns.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (var tensor in _tensors.Values)
        {
            tensor.Dispose();
        }
    }
}
