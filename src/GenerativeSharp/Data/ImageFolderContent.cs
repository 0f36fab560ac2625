namespace GenerativeSharp.Data;

/// <summary>An image folder loaded by <see cref="ImageFolder.Load"/>: its class names, channel count and two splits. Owns both splits.</summary>
public sealed class ImageFolderContent : IDisposable
{
    internal ImageFolderContent(
        IReadOnlyList<string> classNames, int channels, ImageFolderSplit train, ImageFolderSplit test, int unmatchedCount, bool splitByHash)
    {
        ClassNames = classNames;
        Channels = channels;
        Train = train;
        Test = test;
        UnmatchedCount = unmatchedCount;
        SplitByHash = splitByHash;
    }

    /// <summary>The class sub-folder names, sorted ordinally (label i is ClassNames[i]); empty without class folders.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>1 when every image is grey (or grey with alpha), else 3 (RGB).</summary>
    public int Channels { get; }

    /// <summary>The training split.</summary>
    public ImageFolderSplit Train { get; }

    /// <summary>The test split.</summary>
    public ImageFolderSplit Test { get; }

    /// <summary>Images left out because the target folder has no file at the same relative path; 0 when unpaired.</summary>
    public int UnmatchedCount { get; }

    /// <summary>True when the folder had no train and test folders and the test split was chosen by a hash of each relative path.</summary>
    public bool SplitByHash { get; }

    /// <summary>Disposes both splits.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}
