using TorchSharp;

namespace GenerativeSharp.Data;

/// <summary>
/// Loads a directory in the MNIST layout: train-images-idx3-ubyte and t10k-images-idx3-ubyte
/// (each plain or .gz), optionally with train-labels-idx1-ubyte and t10k-labels-idx1-ubyte.
/// Images become float32 [N, 1, H, W] = byte / 255; labels int64 [N].
/// </summary>
internal static class IdxDirectory
{
    internal const string TrainImages = "train-images-idx3-ubyte";
    internal const string TrainLabels = "train-labels-idx1-ubyte";
    internal const string TestImages = "t10k-images-idx3-ubyte";
    internal const string TestLabels = "t10k-labels-idx1-ubyte";

    /// <summary>Whether <paramref name="directory"/> holds both image files (plain or .gz).</summary>
    internal static bool HasImages(string directory) =>
        Find(directory, TrainImages) is not null && Find(directory, TestImages) is not null;

    /// <summary>Loads both splits of <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidInputException">A file is missing, corrupt, or the shapes do not fit together.</exception>
    internal static DataSplits Load(string spec, string directory, IReadOnlyList<string>? classNames = null)
    {
        string? trainImages = Find(directory, TrainImages);
        string? testImages = Find(directory, TestImages);
        if (trainImages is null || testImages is null)
        {
            throw new InvalidInputException(
                $"{directory}: no IDX image files found: expected {TrainImages}[.gz] and {TestImages}[.gz] "
                + $"(and optionally {TrainLabels}[.gz], {TestLabels}[.gz])");
        }

        TensorDataset train = LoadSplit(trainImages, Find(directory, TrainLabels));
        try
        {
            TensorDataset test = LoadSplit(testImages, Find(directory, TestLabels));
            if (!train.EventShape.SequenceEqual(test.EventShape))
            {
                string trainShape = IdxFile.FormatShape(train.EventShape);
                string testShape = IdxFile.FormatShape(test.EventShape);
                test.Dispose();
                throw new InvalidInputException(
                    $"{directory}: train images are {trainShape} but test images are {testShape}; both splits must have the same image size");
            }

            var description = DataDescription.Images(train.EventShape, ClassNamesOf(train, test, classNames));
            return new DataSplits(spec, Path.GetFullPath(directory), description, train, test, toy: null);
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The given names when they cover every label, else "0", "1", ... up to the largest label; none
    /// when either split is unlabelled.
    /// </summary>
    private static IReadOnlyList<string> ClassNamesOf(TensorDataset train, TensorDataset test, IReadOnlyList<string>? names)
    {
        if (train.Labels is null || test.Labels is null || train.Count == 0) return [];
        long largest = Math.Max(train.Labels.max().item<long>(), test.Count > 0 ? test.Labels.max().item<long>() : 0);
        return names is not null && names.Count > largest ? names : DataDescription.NumberedClasses((int)largest + 1);
    }

    /// <summary>The file NAME or NAME.gz in the directory (the plain one when both exist), or null.</summary>
    internal static string? Find(string directory, string name)
    {
        string plain = Path.Combine(directory, name);
        if (File.Exists(plain))
        {
            return plain;
        }

        string gz = plain + ".gz";
        return File.Exists(gz) ? gz : null;
    }

    private static TensorDataset LoadSplit(string imagesPath, string? labelsPath)
    {
        IdxArray images = IdxFile.Read(imagesPath);
        if (images.Shape.Length != 3)
        {
            throw new InvalidInputException(
                $"{imagesPath}: expected a 3-D image array [N, H, W], found {images.Shape.Length}-D {Format(images.Shape)}");
        }

        IdxArray? labels = null;
        if (labelsPath is not null)
        {
            labels = IdxFile.Read(labelsPath);
            if (labels.Shape.Length != 1)
            {
                throw new InvalidInputException(
                    $"{labelsPath}: expected a 1-D label array [N], found {labels.Shape.Length}-D {Format(labels.Shape)}");
            }

            if (labels.Shape[0] != images.Shape[0])
            {
                throw new InvalidInputException(
                    $"{labelsPath}: has {labels.Shape[0]} labels but {imagesPath} has {images.Shape[0]} images; the counts must match");
            }
        }

        using var scope = torch.NewDisposeScope();
        long[] shape = [images.Shape[0], 1, images.Shape[1], images.Shape[2]];
        torch.Tensor x = torch.tensor(images.Data, shape, dtype: torch.uint8).to(torch.float32).div_(255f); // [N, 1, H, W]
        torch.Tensor? y = labels is null
            ? null
            : torch.tensor(labels.Data, [labels.Shape[0]], dtype: torch.uint8).to(torch.int64);           // [N]
        y?.MoveToOuterDisposeScope();
        return new TensorDataset(x.MoveToOuterDisposeScope(), y);
    }

    private static string Format(int[] shape) => IdxFile.FormatShape(shape.Select(d => (long)d));
}
