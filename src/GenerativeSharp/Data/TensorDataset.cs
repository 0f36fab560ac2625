using TorchSharp;

namespace GenerativeSharp.Data;

/// <summary>
/// A split held in memory: examples float32 [N, ...EventShape] (images [N, C, H, W] in [0, 1],
/// points [N, 2]), optional int64 class labels [N] and optional paired targets float32 [N, ...]
/// (each example's true output, for image-to-image data). Owns its tensors.
/// </summary>
public sealed class TensorDataset : IDisposable
{
    /// <summary>Wraps the tensors; the dataset takes ownership and disposes them.</summary>
    /// <param name="targetsPaired">true: target i belongs to example i (N targets); false: the targets are an unpaired
    /// second domain of any count M (CycleGAN's B images), never indexed by an example's index</param>
    /// <exception cref="ArgumentException">The examples are not float32 with a leading example dimension, or the labels are not int64 [N].</exception>
    public TensorDataset(torch.Tensor examples, torch.Tensor? labels, torch.Tensor? targets = null, bool targetsPaired = true)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.dtype != torch.ScalarType.Float32 || examples.dim() < 2)
        {
            throw new ArgumentException(
                $"examples must be float32 [N, ...event shape], got {examples.dtype} {IdxFile.FormatShape(examples.shape)}", nameof(examples));
        }

        if (labels is not null
            && (labels.dtype != torch.ScalarType.Int64 || labels.dim() != 1 || labels.shape[0] != examples.shape[0]))
        {
            throw new ArgumentException(
                $"labels must be int64 [{examples.shape[0]}], got {labels.dtype} {IdxFile.FormatShape(labels.shape)}", nameof(labels));
        }

        if (targets is not null
            && (targets.dtype != torch.ScalarType.Float32 || targets.dim() < 2 || (targetsPaired && targets.shape[0] != examples.shape[0]) || targets.shape[0] < 1))
        {
            throw new ArgumentException(
                $"targets must be float32 [{examples.shape[0]}, ...], got {targets.dtype} {IdxFile.FormatShape(targets.shape)}", nameof(targets));
        }

        Examples = examples;
        Labels = labels;
        Targets = targets;
        TargetsPaired = targets is null || targetsPaired;
    }

    /// <summary>float32 [N, ...EventShape].</summary>
    public torch.Tensor Examples { get; }

    /// <summary>int64 [N] class labels, or null when the data has none (toys, unlabelled directories).</summary>
    public torch.Tensor? Labels { get; }

    /// <summary>float32 [N, ...TargetShape] paired targets, or null when the data is not paired.</summary>
    public torch.Tensor? Targets { get; }

    /// <summary>
    /// Whether <see cref="Targets"/> row i is example i's true output (true, also when there are no targets), or the
    /// targets are an unpaired domain of their own count (false).
    /// </summary>
    public bool TargetsPaired { get; }

    /// <summary>N, the number of examples.</summary>
    public long Count => Examples.shape[0];

    /// <summary>The shape of one example: [C, H, W] for images, [2] for points.</summary>
    public long[] EventShape => Examples.shape[1..];

    /// <summary>
    /// A new dataset holding the examples of <paramref name="parts"/> one after the other (copies; the parts
    /// stay the caller's). Labels and targets are kept only when every part has them.
    /// </summary>
    /// <exception cref="ArgumentException">No parts, or their event shapes differ.</exception>
    public static TensorDataset Concatenate(IReadOnlyList<TensorDataset> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0) throw new ArgumentException("nothing to concatenate", nameof(parts));
        if (parts.Any(p => !p.EventShape.SequenceEqual(parts[0].EventShape)))
        {
            throw new ArgumentException(
                $"event shapes differ: {string.Join(", ", parts.Select(p => IdxFile.FormatShape(p.EventShape)))}", nameof(parts));
        }

        torch.Tensor examples = torch.cat(parts.Select(p => p.Examples).ToArray());
        torch.Tensor? labels = parts.All(p => p.Labels is not null) ? torch.cat(parts.Select(p => p.Labels!).ToArray()) : null;
        torch.Tensor? targets = parts.All(p => p.Targets is not null && p.TargetsPaired) ? torch.cat(parts.Select(p => p.Targets!).ToArray()) : null;
        return new TensorDataset(examples, labels, targets);
    }

    /// <summary>Disposes the examples and labels.</summary>
    public void Dispose()
    {
        Examples.Dispose();
        Labels?.Dispose();
        Targets?.Dispose();
    }
}
