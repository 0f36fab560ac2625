using StbImageSharp;

namespace GenerativeSharp.Cli.Studio;

/// <summary>
/// An image a request uploads, checked before anything decodes it: at most <see cref="MaxBytes"/> bytes, PNG or
/// JPEG by its first bytes, at most <see cref="MaxPixels"/> pixels by its header. It is then written to a file of
/// the server's own naming in a private temporary folder, so the library's image readers read it as they read a
/// user's file on the command line; the file is deleted on dispose.
/// </summary>
internal sealed class UploadedImage : IDisposable
{
    /// <summary>The largest upload taken, in bytes (4 MiB).</summary>
    public const long MaxBytes = 4L << 20;

    /// <summary>The most pixels an upload may have (4096 x 4096).</summary>
    public const long MaxPixels = 4096L * 4096;

    private static readonly string Folder = System.IO.Directory.CreateTempSubdirectory("gensharp-studio-").FullName;

    private UploadedImage(string path) => Path = path;

    /// <summary>The temporary file holding the upload.</summary>
    public string Path { get; }

    /// <summary>Checks <paramref name="bytes"/> (the form field <paramref name="field"/>) and writes them to a temporary file.</summary>
    /// <exception cref="StudioRequestException">413 too large, 415 not a PNG or JPEG, 400 unreadable.</exception>
    public static UploadedImage Accept(byte[] bytes, string field)
    {
        if (bytes.LongLength > MaxBytes)
            throw new StudioRequestException(413, $"{field}: the upload is {bytes.LongLength / 1024} KiB; the studio takes images up to {MaxBytes >> 20} MiB.");
        ReadOnlySpan<byte> png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        bool isPng = bytes.AsSpan().StartsWith(png);
        bool isJpeg = bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF;
        if (!isPng && !isJpeg) throw new StudioRequestException(415, $"{field}: not a PNG or JPEG image.");
        ImageInfo? info;
        try
        {
            using var stream = new MemoryStream(bytes);
            info = ImageInfo.FromStream(stream);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException or NotSupportedException)
        {
            info = null;
        }
        if (info is not { Width: > 0, Height: > 0 } header) throw new StudioRequestException(400, $"{field}: the image cannot be decoded.");
        if ((long)header.Width * header.Height > MaxPixels)
            throw new StudioRequestException(413, $"{field}: {header.Width} x {header.Height} pixels is too many; the studio takes images up to {MaxPixels / 1_000_000} megapixels.");
        string path = System.IO.Path.Combine(Folder, Guid.NewGuid().ToString("N") + (isPng ? ".png" : ".jpg"));
        File.WriteAllBytes(path, bytes);
        return new UploadedImage(path);
    }

    public void Dispose() => File.Delete(Path);
}
