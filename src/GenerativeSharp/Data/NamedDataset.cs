namespace GenerativeSharp.Data;

/// <summary>
/// A dataset known by name: its four gzip IDX files with their MD5 checksums, the official
/// mirrors to download them from (tried in order), and a hint on how to install it otherwise.
/// Checksums and mirrors are those torchvision uses.
/// </summary>
internal sealed record NamedDataset(string Name, IReadOnlyList<string> Mirrors, IReadOnlyList<NamedDataset.File> Files, string? InstallHint,
    IReadOnlyList<string>? ClassNames = null)
{
    /// <summary>One file to download: its name and the MD5 (lower-case hex) of its bytes.</summary>
    internal sealed record File(string Name, string Md5);

    /// <summary>Fashion-MNIST (Xiao, Rasul and Vollgraf 2017, arXiv:1708.07747), from Zalando Research's S3 site.</summary>
    internal static NamedDataset FashionMnist { get; } = new(
        "fashion-mnist",
        ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"],
        [
            new("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
            new("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
            new("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
            new("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
        ],
        "on Debian/Ubuntu 'sudo apt install dataset-fashion-mnist' puts them in /usr/share/datasets/fashion-mnist",
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]);

    /// <summary>MNIST (LeCun, Cortes and Burges), from the mirror torchvision uses, then the original site.</summary>
    internal static NamedDataset Mnist { get; } = new(
        "mnist",
        ["https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"],
        [
            new("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
            new("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
            new("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
            new("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
        ],
        InstallHint: null);

    /// <summary>Every named dataset, in the order the CLI lists them.</summary>
    internal static IReadOnlyList<NamedDataset> All { get; } = [FashionMnist, Mnist];
}
