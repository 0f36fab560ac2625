using TorchSharp;

namespace GenerativeSharp.Data;

/// <summary>
/// One split (train or test) of an image folder: the images with their class labels, the paired
/// target images when a target folder was given, and where each image came from. Owns its tensors.
/// </summary>
public sealed class ImageFolderSplit : IDisposable
{
    internal ImageFolderSplit(TensorDataset data, IReadOnlyList<string> relativePaths)
    {
        Data = data;
        RelativePaths = relativePaths;
    }

    /// <summary>
    /// Images float32 [N, C, H, W] in [0, 1]; labels int64 [N] class indices, or null without class
    /// folders; the paired targets when a target folder was given.
    /// </summary>
    public TensorDataset Data { get; }

    /// <summary>The paired target images float32 [N, C2, H, W] in [0, 1], row i the partner of image i; null when unpaired.</summary>
    public torch.Tensor? Targets => Data.Targets;

    /// <summary>Image i's path relative to the split root ('/' separators), in load order (ordinal).</summary>
    public IReadOnlyList<string> RelativePaths { get; }

    /// <summary>Disposes the images, labels and targets.</summary>
    public void Dispose() => Data.Dispose();
}
