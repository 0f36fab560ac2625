using System.Security.Cryptography;
using System.Text;
using TorchSharp;

namespace GenerativeSharp.Persistence;

/// <summary>
/// The checkpoint file: a safetensors file whose metadata also carries the format version ("gensharp_format") and
/// a checksum. Format 2 (written now) holds in "file_sha256" the hex SHA-256 of the whole file as written with
/// 64 zeros in place of the checksum itself, so the length field, the header (every dtype, shape, offset and
/// metadata value) and the data are all covered; format 1 (still read) covered the data buffer only
/// ("data_sha256"). Saving is atomic (temporary file, flush to disk, rename); loading reads only a regular file,
/// and verifies structure, version and checksum before it returns any tensor.
/// </summary>
public static class CheckpointFile
{
    /// <summary>The checkpoint format this version writes.</summary>
    public const int FormatVersion = 2;

    /// <summary>Metadata key of the format version.</summary>
    internal const string FormatKey = "gensharp_format";

    /// <summary>Metadata key of the format-2 checksum: hex SHA-256 of the file with this value zeroed.</summary>
    internal const string ChecksumKey = "file_sha256";

    /// <summary>Metadata key of the format-1 checksum: hex SHA-256 of the data buffer.</summary>
    internal const string DataChecksumKey = "data_sha256";

    private static readonly string Placeholder = new('0', 64);

    /// <summary>
    /// Writes the tensors and metadata (plus <see cref="FormatKey"/> and <see cref="ChecksumKey"/>) to
    /// "&lt;path&gt;.tmp-&lt;random&gt;" in the same directory, flushes it to disk, then renames it over
    /// <paramref name="path"/>. A crash leaves the old file or the new one, never a partial one (at worst a stray
    /// temporary file, which <see cref="Load"/> never reads). Creates the directory if needed.
    /// </summary>
    /// <exception cref="ArgumentException">Metadata uses a reserved key, or a tensor cannot be written.</exception>
    public static void Save(string path, IReadOnlyDictionary<string, torch.Tensor> tensors, IReadOnlyDictionary<string, string> metadata) =>
        Save(path, tensors, metadata, beforeRename: null);

    /// <summary><see cref="Save(string, IReadOnlyDictionary{string, torch.Tensor}, IReadOnlyDictionary{string, string})"/>
    /// with a hook that runs on the flushed temporary file just before the rename (tests use it).</summary>
    internal static void Save(string path, IReadOnlyDictionary<string, torch.Tensor> tensors,
        IReadOnlyDictionary<string, string> metadata, Action<string>? beforeRename)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(metadata);
        foreach (var reserved in new[] { FormatKey, ChecksumKey, DataChecksumKey })
        {
            if (metadata.ContainsKey(reserved))
            {
                throw new ArgumentException($"metadata key \"{reserved}\" is reserved for the checkpoint format", nameof(metadata));
            }
        }

        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var temporary = $"{fullPath}.tmp-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";

        using var scope = torch.NewDisposeScope();
        var writer = SafeTensorsWriter.Prepare(tensors);
        var allMetadata = new Dictionary<string, string>(metadata, StringComparer.Ordinal)
        {
            [FormatKey] = FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [ChecksumKey] = Placeholder,
        };
        byte[] header = writer.BuildHeader(allMetadata);
        int at = ChecksumPosition(header, Placeholder);
        Encoding.ASCII.GetBytes(Convert.ToHexStringLower(writer.FileSha256(header))).CopyTo(header, at);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                writer.Write(stream, header);
                stream.Flush(flushToDisk: true);
            }
            beforeRename?.Invoke(temporary);
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Reads the checkpoint at <paramref name="path"/>, verifying everything before any tensor is built:
    /// the file exists, its structure is valid, its format is <see cref="FormatVersion"/> and its checksum matches.
    /// </summary>
    /// <exception cref="InvalidInputException">Any of those checks fails; the one-line message names the file and the fault.</exception>
    public static SafeTensorsContent Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] file = ReadRegularFile(path);

        SafeTensorsLayout layout;
        try
        {
            layout = SafeTensorsParser.Parse(file);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidInputException($"{path} is not a valid checkpoint: {ex.Message}", ex);
        }

        if (!layout.Metadata.TryGetValue(FormatKey, out var format))
        {
            throw new InvalidInputException($"{path} is not a valid checkpoint: its metadata has no {FormatKey}");
        }
        switch (format)
        {
            case "2":
                VerifyFileChecksum(path, file, layout);
                break;
            case "1":
                VerifyDataChecksum(path, file, layout);
                break;
            default:
                throw new InvalidInputException(
                    $"{path} was written by checkpoint format {SafeTensorsParser.Printable(format)}; " +
                    $"this version of GenerativeSharp reads formats 1 and {FormatVersion}");
        }

        try
        {
            return SafeTensorsFile.Materialize(file, layout);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidInputException($"{path} is not a valid checkpoint: {ex.Message}", ex);
        }
    }

    /// <summary>The largest checkpoint this version reads (16 GiB).</summary>
    public const long MaxFileBytes = 16L << 30;

    /// <summary>
    /// The bytes of <paramref name="path"/>, read up to the length the file system states and no further.
    /// </summary>
    private static byte[] ReadRegularFile(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new InvalidInputException(Directory.Exists(path) ? $"{path} is a directory, not a checkpoint" : $"no checkpoint at {path}");
        }
        try
        {
            if (info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target) info = target;
            // A pipe, socket or device states a length of 0 and is never opened (a FIFO would block, /dev/zero never end).
            if (info.Length < 8)
            {
                throw new InvalidInputException($"{path} is not a valid checkpoint: it is {info.Length} bytes " +
                    "(shorter than the 8-byte header length, or not a regular file)");
            }
            if (info.Length > MaxFileBytes)
            {
                throw new InvalidInputException($"{path} is {info.Length} bytes, more than the {MaxFileBytes >> 30} GiB a checkpoint may have");
            }
            using var stream = new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.Read);
            var file = new byte[info.Length];
            stream.ReadExactly(file);
            return file;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot read checkpoint {path}: {ex.Message.ReplaceLineEndings(" ")}", ex);
        }
    }

    private static void VerifyFileChecksum(string path, byte[] file, SafeTensorsLayout layout)
    {
        if (!layout.Metadata.TryGetValue(ChecksumKey, out var expected) || expected.Length != 64 || !expected.All(char.IsAsciiHexDigitLower))
        {
            throw new InvalidInputException($"{path} is not a valid checkpoint: its metadata has no 64-digit {ChecksumKey}");
        }
        var header = file.AsSpan(8, checked((int)layout.DataStart - 8)).ToArray();
        int at = ChecksumPosition(header, expected);
        Encoding.ASCII.GetBytes(Placeholder).CopyTo(header, at);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(file.AsSpan(0, 8));
        hash.AppendData(header);
        hash.AppendData(file.AsSpan(checked((int)layout.DataStart)));
        var found = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (!string.Equals(expected, found, StringComparison.Ordinal))
        {
            throw new InvalidInputException($"{path} is damaged: checksum mismatch (expected {expected}, found {found})");
        }
    }

    private static void VerifyDataChecksum(string path, byte[] file, SafeTensorsLayout layout)
    {
        if (!layout.Metadata.TryGetValue(DataChecksumKey, out var expected))
        {
            throw new InvalidInputException($"{path} is not a valid checkpoint: its metadata has no {DataChecksumKey}");
        }
        var found = Convert.ToHexStringLower(SHA256.HashData(file.AsSpan(checked((int)layout.DataStart))));
        if (!string.Equals(expected, found, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidInputException(
                $"{path} is damaged: checksum mismatch (expected {SafeTensorsParser.Printable(expected)}, found {found})");
        }
    }

    /// <summary>Where the checksum's 64 digits start in <paramref name="header"/>: after the one "file_sha256":" key.</summary>
    private static int ChecksumPosition(byte[] header, string value)
    {
        byte[] needle = Encoding.UTF8.GetBytes($"\"{ChecksumKey}\":\"{value}\"");
        int at = header.AsSpan().IndexOf(needle);
        if (at < 0 || header.AsSpan(at + 1).IndexOf(needle) >= 0)
        {
            throw new InvalidInputException($"checkpoint header does not hold exactly one {ChecksumKey}");
        }
        return at + needle.Length - 65;                                          // the value, without its closing quote
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The original error matters more; a stray temporary file is never read.
        }
    }
}
