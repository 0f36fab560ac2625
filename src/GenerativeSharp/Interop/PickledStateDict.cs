using System.Collections;
using GenerativeSharp.Persistence;
using TorchSharp;
using TorchSharp.PyBridge;

namespace GenerativeSharp.Interop;

/// <summary>
/// A state dict saved by PyTorch's <c>torch.save(model.state_dict(), "x.pt")</c> (a zip archive holding a pickle and
/// the tensor storages), read with TorchSharp.PyBridge's unpickler (github.com/shaltielshmid/TorchSharp.PyBridge, on
/// Razorvine.Pickle). Only tensors are taken; the file must be a flat mapping of names to tensors.
/// </summary>
public static class PickledStateDict
{
    /// <summary>Whether <paramref name="path"/> is named .pt/.pth or starts as a zip archive ("PK\x03\x04"), as torch.save writes.</summary>
    public static bool IsPickled(string path)
    {
        if (path.EndsWith(".pt", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".pth", StringComparison.OrdinalIgnoreCase)) return true;
        using var stream = File.OpenRead(path);
        Span<byte> head = stackalloc byte[4];
        return stream.Read(head) == 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4;
    }

    /// <summary>The tensors of the pickled state dict at <paramref name="path"/>, on the CPU, owned by the returned content.</summary>
    /// <exception cref="InvalidInputException">The file is not a state dict torch.save wrote.</exception>
    public static SafeTensorsContent Read(string path)
    {
        Hashtable table;
        try
        {
            using var stream = File.OpenRead(path);
            table = PyTorchUnpickler.UnpickleStateDict(stream);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidInputException($"{path} is not a state dict saved by torch.save ({e.GetType().Name}: {e.Message.Split('\n')[0]}).", e);
        }
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is not string name || entry.Value is not torch.Tensor tensor)
            {
                foreach (var t in tensors.Values) t.Dispose();
                throw new InvalidInputException($"{path}: '{entry.Key}' is not a named tensor; save model.state_dict(), not the model or a checkpoint dict.");
            }
            tensors[name] = tensor.cpu().DetachFromDisposeScope();
        }
        return new SafeTensorsContent(tensors, new Dictionary<string, string>());
    }
}
