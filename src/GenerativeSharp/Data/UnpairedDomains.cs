namespace GenerativeSharp.Data;

/// <summary>
/// Two image folders that share no relative path, read as CycleGAN's two unpaired domains (Zhu et al. 2017: horses
/// and zebras are photographed apart): domain A is the --data folder, domain B the --target folder, each loaded as an
/// image folder of its own (its own train / test split and size; <see cref="ImageFolder"/>). Each split holds A's
/// images and labels as the examples and all of B's images of the same split as unpaired targets
/// (<see cref="TensorDataset.TargetsPaired"/> false), so B may hold any number of images. A model that needs pairs
/// (pix2pix) refuses such data; a model that trains unpaired draws its B images by its own permutation.
/// </summary>
internal static class UnpairedDomains
{
    /// <summary>Loads A and B as unpaired domains (the source line and the model's first message say so).</summary>
    /// <exception cref="InvalidInputException">A folder cannot be loaded, or the two have different sizes without --image-size.</exception>
    public static ImageFolderContent Load(string directory, string targetDirectory, int? imageSize, TextWriter? progress)
    {
        ImageFolderContent a = ImageFolder.Load(directory, null, imageSize, progress), b;
        try
        {
            b = ImageFolder.Load(targetDirectory, null, imageSize, progress);
        }
        catch
        {
            a.Dispose();
            throw;
        }
        try
        {
            long[] sideA = a.Train.Data.EventShape[1..], sideB = b.Train.Data.EventShape[1..];
            if (!sideA.SequenceEqual(sideB))
                throw new InvalidInputException($"{directory} holds {sideA[0]} x {sideA[1]} images and {targetDirectory} {sideB[0]} x {sideB[1]}: " +
                    "give --image-size N to read both at one size.");
            if (b.Test.Data.Count == 0)
                throw new InvalidInputException($"{targetDirectory} has no test images: give it a test folder (or enough images for the 10% hash split).");
        }
        catch
        {
            a.Dispose();
            b.Dispose();
            throw;
        }
        // A's images and labels and B's images move into the new splits (no copy); B's labels are not used.
        b.Train.Data.Labels?.Dispose();
        b.Test.Data.Labels?.Dispose();
        static ImageFolderSplit Split(ImageFolderSplit inA, ImageFolderSplit inB) => new(
            new TensorDataset(inA.Data.Examples, inA.Data.Labels, inB.Data.Examples, targetsPaired: false), inA.RelativePaths);
        return new ImageFolderContent(a.ClassNames, a.Channels, Split(a.Train, b.Train), Split(a.Test, b.Test), unmatchedCount: 0, a.SplitByHash);
    }
}
