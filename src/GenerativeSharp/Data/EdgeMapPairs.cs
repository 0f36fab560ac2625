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

    /// <summary>
    /// The edge-map pairs of the images <paramref name="images"/> holds; takes ownership of <paramref name="images"/>, whose
    /// images and labels become the pairs' targets and labels (no copy).
    /// </summary>
    /// <exception cref="InvalidInputException">The data is not images, or already paired.</exception>
    public static DataSplits From(string spec, DataSplits images)
    {
        Tensor? trainEdges = null, testEdges = null;
        try
        {
            if (!images.Description.IsImage)
                throw new InvalidInputException($"{spec}: edge maps need images; {images.Spec} holds {images.Description.Summary}.");
            if (images.Description.HasPairedTarget)
                throw new InvalidInputException($"{spec}: edges:DATA pairs each image with its own edge map; {images.Spec} is already paired.");
            trainEdges = EdgesOf(images.Train.Examples);
            testEdges = EdgesOf(images.Test.Examples);
        }
        catch
        {
            trainEdges?.Dispose();
            testEdges?.Dispose();
            images.Dispose();
            throw;
        }
        long[] shape = images.EventShape;
        var description = new DataDescription
        {
            EventShape = [1, shape[1], shape[2]], Values = ValueKind.Binary, ClassNames = images.Description.ClassNames, TargetShape = shape,
        };
        // From here the images' tensors belong to the pairs; the old splits are bare wrappers, left undisposed.
        var train = new TensorDataset(trainEdges, images.Train.Labels, targets: images.Train.Examples);
        var test = new TensorDataset(testEdges, images.Test.Labels, targets: images.Test.Examples);
        return new DataSplits(spec, $"edge maps ({Detector}) of {images.Source}", description, train, test, toy: null);
    }

    /// <summary>Edge maps [N, 1, H, W] of images [N, C, H, W], 4,096 at a time (bounded temporaries).</summary>
    private static Tensor EdgesOf(Tensor images)
    {
        using var scope = NewDisposeScope();
        var edges = new List<Tensor>();
        for (long start = 0; start < images.shape[0]; start += 4096)
            edges.Add(Detector.Detect(images.narrow(0, start, Math.Min(4096, images.shape[0] - start))));
        return cat(edges).MoveToOuterDisposeScope();                                                      // [N, 1, H, W] of 0 and 1
    }
}
