using static TorchSharp.torch;

namespace GenerativeSharp.Data;

/// <summary>
/// Paired "edges to images" data, in the manner of pix2pix's edges2shoes (Isola et al. 2017, section 4; their
/// edges came from HED, ours from <see cref="CannyEdges"/>): <c>--data edges:SPEC</c> loads any image data SPEC
/// (a named dataset, an IDX directory, an image folder with its --image-size) and pairs every image, as the target,
/// with its own edge map, as the input: inputs binary [1, H, W] (1 = edge), targets the images as they were. Labels
/// and class names are kept. The inputs are not the named dataset, so a feature network is chosen by the targets.
/// </summary>
public static class EdgeMapPairs
{
    /// <summary>The data-spec prefix, "edges:".</summary>
    public const string Prefix = "edges:";

    /// <summary>The detector every edges:SPEC uses, stated in the data's source line.</summary>
    public static CannyEdges Detector { get; } = new();

    /// <summary>Whether <paramref name="spec"/> asks for edge-map pairs.</summary>
    public static bool Matches(string spec) => spec.Trim().StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>The edge-map pairs of the images <paramref name="images"/> holds; takes ownership of <paramref name="images"/>.</summary>
    /// <exception cref="InvalidInputException">The data is not images, or already paired.</exception>
    public static DataSplits From(string spec, DataSplits images)
    {
        using (images)
        {
            if (!images.Description.IsImage)
                throw new InvalidInputException($"{spec}: edge maps need images; {images.Spec} holds {images.Description.Summary}.");
            if (images.Description.HasPairedTarget)
                throw new InvalidInputException($"{spec}: edges:DATA pairs each image with its own edge map; {images.Spec} is already paired.");
            long[] shape = images.EventShape;
            TensorDataset train = Pair(images.Train), test;
            try
            {
                test = Pair(images.Test);
            }
            catch
            {
                train.Dispose();
                throw;
            }
            var description = new DataDescription
            {
                EventShape = [1, shape[1], shape[2]], Values = ValueKind.Binary, ClassNames = images.Description.ClassNames, TargetShape = shape,
            };
            return new DataSplits(spec, $"edge maps ({Detector}) of {images.Source}", description, train, test, toy: null);
        }
    }

    private static TensorDataset Pair(TensorDataset split)
    {
        using var scope = NewDisposeScope();
        var edges = new List<Tensor>();
        for (long start = 0; start < split.Count; start += 4096)                                          // bounded temporaries
            edges.Add(Detector.Detect(split.Examples.narrow(0, start, Math.Min(4096, split.Count - start))));
        Tensor inputs = cat(edges);                                                                         // [N, 1, H, W] of 0 and 1
        var paired = new TensorDataset(inputs, split.Labels?.clone(), targets: split.Examples.clone());
        inputs.MoveToOuterDisposeScope();
        paired.Labels?.MoveToOuterDisposeScope();
        paired.Targets!.MoveToOuterDisposeScope();
        return paired;
    }
}
