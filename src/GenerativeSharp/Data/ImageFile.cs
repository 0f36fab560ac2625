namespace GenerativeSharp.Data;

/// <summary>One PNG or JPEG file read as a model input, the way an image folder reads its images.</summary>
public static class ImageFile
{
    /// <summary>
    /// Reads the PNG or JPEG at <paramref name="path"/>, composited onto white and resized to
    /// <paramref name="size"/> x <paramref name="size"/> by area averaging (a non-square image is stretched),
    /// as float32 [1, <paramref name="channels"/>, size, size] in [0, 1] (channels 1: the red channel, the grey
    /// value of a grey file).
    /// </summary>
    /// <exception cref="InvalidInputException">The file is missing, not a PNG or JPEG, or cannot be decoded; one line.</exception>
    public static TorchSharp.torch.Tensor Read(string path, int channels, int size)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "expected 1 or 3 channels");
        if (!File.Exists(path)) throw new InvalidInputException($"{path}: no such file.");
        if (!IsPngOrJpeg(path)) throw new InvalidInputException($"{path}: not a PNG or JPEG image.");
        DecodedImage image = ImageDecoding.Decode(path);
        var pixels = new float[channels * size * size];                                            // [C, S, S]
        ImageDecoding.Write(image, channels, size, pixels);
        return TorchSharp.torch.tensor(pixels, [1, channels, size, size]);
    }

    /// <summary>Whether the file starts with the PNG signature or a JPEG start-of-image marker.</summary>
    public static bool IsPngOrJpeg(string path)
    {
        Span<byte> head = stackalloc byte[8];
        int read;
        try
        {
            using FileStream stream = File.OpenRead(path);
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"{path}: cannot be read ({e.Message}).", e);
        }
        ReadOnlySpan<byte> png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        return (read == 8 && head.SequenceEqual(png)) || (read >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF);
    }
}
