using System.Security.Cryptography;
using TorchSharp;

namespace GenerativeSharp.Persistence;

/// <summary>
/// The checkpoint file: a safetensors file whose metadata also carries the format version ("gensharp_format") and
/// the hex SHA-256 of the data buffer ("data_sha256"). Saving is atomic (temporary file, flush to disk, rename);
/// loading verifies structure, version and checksum before it returns any tensor.
/// </summary>
public static class CheckpointFile
{
    /// <summary>The checkpoint format this version writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Metadata key of the format version.</summary>
    internal const string FormatKey = "gensharp_format";

    /// <summary>Metadata key of the hex SHA-256 of the data buffer.</summary>
    internal const string ChecksumKey = "data_sha256";

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
        foreach (var reserved in new[] { FormatKey, ChecksumKey })
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
            [ChecksumKey] = writer.DataSha256(),
        };
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                writer.Write(stream, allMetadata);
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
        if (!File.Exists(path))
        {
            throw new InvalidInputException($"no checkpoint at {path}");
        }
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot read checkpoint {path}: {ex.Message.ReplaceLineEndings(" ")}", ex);
        }

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
        if (format != FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new InvalidInputException(
                $"{path} was written by checkpoint format {SafeTensorsParser.Printable(format)}; " +
                $"this version of GenerativeSharp reads format {FormatVersion}");
        }
        if (!layout.Metadata.TryGetValue(ChecksumKey, out var expected))
        {
            throw new InvalidInputException($"{path} is not a valid checkpoint: its metadata has no {ChecksumKey}");
        }
        var found = Convert.ToHexStringLower(SHA256.HashData(file.AsSpan(checked((int)layout.DataStart))));
        if (!string.Equals(expected, found, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidInputException(
                $"{path} is damaged: checksum mismatch (expected {SafeTensorsParser.Printable(expected)}, found {found})");
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
