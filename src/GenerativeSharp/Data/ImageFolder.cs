using System.Runtime.InteropServices;
using TorchSharp;

namespace GenerativeSharp.Data;

/// <summary>
/// Loads a folder of PNG and JPEG images the way torchvision's ImageFolder does: class sub-folders
/// give the labels, and train/test sub-folders (or a stable hash) give the splits.
/// </summary>
public static class ImageFolder
{
    private static readonly ParallelOptions Parallelism = new() { MaxDegreeOfParallelism = Environment.ProcessorCount };

    /// <summary>True when <paramref name="directory"/> exists and holds at least one .png, .jpg or .jpeg file (any letter case) at any depth.</summary>
    public static bool Contains(string directory) =>
        Directory.Exists(directory) && ImageFolderLayout.EnumerateImages(directory).Any();

    /// <summary>
    /// Loads the images under <paramref name="directory"/> (DIR).
    /// <para>Splits: when DIR has sub-folders <c>train</c> and <c>test</c> they are the splits; otherwise
    /// every image under DIR is one pool and about 10% of it is the test split, chosen by a SHA-256 hash
    /// of each relative path, so the same file always lands in the same split.</para>
    /// <para>Classes: when the images of a split root lie in sub-folders (at any depth below them), each
    /// immediate sub-folder is a class; the class names are the ordinal-sorted union over both splits and
    /// a label is an index into them. Images directly in the split roots have no labels; some in the root
    /// and some in sub-folders is an error. Files load in ordinal order of relative path. Hidden files and
    /// folders are skipped.</para>
    /// <para>Pixels: each image is composited onto white (transparent pixels become white). When every
    /// loaded image is grey or grey with alpha the data has 1 channel, else 3 (RGB). 16-bit PNGs are
    /// reduced to 8 bits.</para>
    /// <para>Size: all images must have one size unless <paramref name="imageSize"/> is given; then each
    /// image is resized to imageSize x imageSize by area averaging (each output pixel is the mean of the
    /// source pixels it covers, partly covered ones weighted by the fraction covered). A non-square image
    /// is stretched to the square, not cropped; enlarging by area averaging is near-nearest-neighbour box
    /// sampling.</para>
    /// <para>Pairs: with <paramref name="targetDirectory"/> (DIR2) each image is paired with the file of
    /// DIR2 at the same path relative to DIR (train/x.png with DIR2/train/x.png). Images without a partner
    /// are left out, counted in <see cref="ImageFolderContent.UnmatchedCount"/> and reported in one line to
    /// <paramref name="progress"/>. Targets get their channel count the same way, from the loaded targets,
    /// and must have the inputs' size unless resized. When no file of DIR has a partner in DIR2 at all, the two
    /// folders are read as unpaired domains instead (<see cref="UnpairedDomains"/>).</para>
    /// <para>Files are decoded in parallel on all cores and written straight into the tensors.</para>
    /// </summary>
    /// <exception cref="InvalidInputException">A folder is missing or has no images, the training split
    /// is empty, an image cannot be decoded, sizes differ without <paramref name="imageSize"/>, images are
    /// both loose and in class folders, or no (training) image has a partner in DIR2.</exception>
    public static ImageFolderContent Load(string directory, string? targetDirectory, int? imageSize, TextWriter? progress)
    {
        ArgumentNullException.ThrowIfNull(directory);
        RequireDirectory(directory);
        if (targetDirectory is not null) RequireDirectory(targetDirectory);
        if (imageSize is < 1) throw new InvalidInputException($"--image-size must be at least 1, got {imageSize}.");

        ImageFolderLayout layout = ImageFolderLayout.Scan(directory);
        if (targetDirectory is not null && !layout.Images.Any(image => File.Exists(PartnerOf(layout, image, targetDirectory))))
            return UnpairedDomains.Load(directory, targetDirectory, imageSize, progress);
        (IReadOnlyList<ImageFolderEntry> images, string[] partners) = targetDirectory is null
            ? (layout.Images, [])
            : Pair(layout, directory, targetDirectory, progress);
        int unmatched = layout.Images.Count - images.Count;

        string[] paths = [.. images.Select(image => image.Path), .. partners];
        DecodedImage[] decoded = DecodeAll(paths);
        (int height, int width) = imageSize is int n ? (n, n) : CommonSize(paths, decoded);
        DecodedImage[] inputs = decoded[..images.Count], targets = decoded[images.Count..];
        int channels = ChannelsOf(inputs);
        int? targetChannels = targets.Length == 0 ? null : ChannelsOf(targets);

        ImageFolderSplit MakeSplit(int split)
        {
            int[] members = [.. Enumerable.Range(0, images.Count).Where(i => images[i].Split == split)];
            torch.Tensor examples = ToTensor([.. members.Select(i => inputs[i])], channels, height, width, imageSize);
            torch.Tensor? labels = layout.ClassNames.Count == 0
                ? null
                : torch.tensor(members.Select(i => (long)images[i].Label).ToArray()); // [N]
            torch.Tensor? pairedTargets = targetChannels is int c
                ? ToTensor([.. members.Select(i => targets[i])], c, height, width, imageSize)
                : null;
            return new ImageFolderSplit(new TensorDataset(examples, labels, pairedTargets), [.. members.Select(i => images[i].RelativePath)]);
        }

        ImageFolderSplit train = MakeSplit(0);
        try
        {
            return new ImageFolderContent(layout.ClassNames, channels, train, MakeSplit(1), unmatched, layout.SplitByHash);
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The images of <paramref name="directory"/> that have a partner at the same relative path in
    /// <paramref name="targetDirectory"/>, and those partners' paths; reports the left-out count.
    /// </summary>
    private static (IReadOnlyList<ImageFolderEntry> Images, string[] Partners) Pair(
        ImageFolderLayout layout, string directory, string targetDirectory, TextWriter? progress)
    {
        var paired = layout.Images
            .Select(image => (image, partner: PartnerOf(layout, image, targetDirectory)))
            .Where(pair => File.Exists(pair.partner))
            .ToArray();
        if (paired.Length == 0)
        {
            throw new InvalidInputException($"no image in {directory} has a partner at the same relative path in {targetDirectory}.");
        }

        if (!paired.Any(pair => pair.image.Split == 0))
        {
            throw new InvalidInputException(
                $"no training image in {directory} has a partner at the same relative path in {targetDirectory} (only test images do).");
        }

        int unmatched = layout.Images.Count - paired.Length;
        if (unmatched > 0)
        {
            progress?.WriteLine($"paired: left out {unmatched} of {layout.Images.Count} images of {directory} that have no partner in {targetDirectory}");
        }

        return ([.. paired.Select(pair => pair.image)], [.. paired.Select(pair => pair.partner)]);
    }

    private static string PartnerOf(ImageFolderLayout layout, ImageFolderEntry image, string targetDirectory) =>
        Path.Combine(targetDirectory, layout.SplitRoot(image.Split), image.RelativePath);

    private static void RequireDirectory(string directory)
    {
        if (!Directory.Exists(directory)) throw new InvalidInputException($"{directory}: no such directory.");
    }

    /// <summary>Decodes every file in parallel; the first failure in <paramref name="paths"/> order is thrown.</summary>
    private static DecodedImage[] DecodeAll(string[] paths)
    {
        var decoded = new DecodedImage[paths.Length];
        var failures = new InvalidInputException?[paths.Length];
        Parallel.For(0, paths.Length, Parallelism, i =>
        {
            try
            {
                decoded[i] = ImageDecoding.Decode(paths[i]);
            }
            catch (InvalidInputException e)
            {
                failures[i] = e;
            }
        });
        InvalidInputException? failure = failures.FirstOrDefault(f => f is not null);
        if (failure is not null) throw failure;
        return decoded;
    }

    /// <summary>The size of the first image, after checking that every image has it.</summary>
    private static (int Height, int Width) CommonSize(string[] paths, DecodedImage[] decoded)
    {
        DecodedImage first = decoded[0];
        for (int i = 1; i < decoded.Length; i++)
        {
            if (decoded[i].Width != first.Width || decoded[i].Height != first.Height)
            {
                throw new InvalidInputException(
                    $"{paths[i]} is {decoded[i].Width}x{decoded[i].Height} but {paths[0]} is {first.Width}x{first.Height}; "
                    + "pass --image-size N to resize every image to N x N.");
            }
        }

        return (first.Height, first.Width);
    }

    private static int ChannelsOf(DecodedImage[] images) => images.All(image => image.SourceIsGrey) ? 1 : 3;

    /// <summary>
    /// The images as one float32 [N, channels, height, width] tensor, each image written in parallel
    /// straight into the tensor's memory (one pass over it, no managed copy).
    /// </summary>
    private static torch.Tensor ToTensor(DecodedImage[] images, int channels, int height, int width, int? imageSize)
    {
        torch.Tensor tensor = torch.empty([images.Length, channels, height, width], torch.ScalarType.Float32); // [N, C, H, W]
        try
        {
            Parallel.For(0, images.Length, Parallelism, i =>
            {
                using torch.Tensor image = tensor[i]; // [C, H, W], a view
                ImageDecoding.Write(images[i], channels, imageSize, MemoryMarshal.Cast<byte, float>(image.bytes));
            });
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }
}
