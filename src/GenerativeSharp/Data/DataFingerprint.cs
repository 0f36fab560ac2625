using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TorchSharp;

namespace GenerativeSharp.Data;

/// <summary>
/// The identity of a split by its content, not by where it came from: SHA-256 over a short header
/// (the example shape, e.g. "gensharp-split 406x3x32x32\n") followed by every value as its 8-bit level
/// round(255 x), one byte each, in the tensor's [N, C, H, W] order. Labels are not part of it.
/// <para>Why 8-bit levels and not the float32 bytes: our images are 8-bit files, and two loaders that
/// agree on every pixel can still differ in the last bit of a float (k / 255 computed as k * (1 / 255f),
/// area averaging summed in another order); rounding to levels keeps such harmless differences from
/// changing the identity, while any real change of a pixel by a level or more does change it. Values are
/// clamped to [0, 1] first, so the hash is defined for any float data.</para>
/// </summary>
public static class DataFingerprint
{
    /// <summary>Lower-case hex SHA-256 of <paramref name="split"/>'s examples as described above.</summary>
    public static string Sha256(TensorDataset split)
    {
        ArgumentNullException.ThrowIfNull(split);
        using var scope = torch.NewDisposeScope();
        torch.Tensor levels = split.Examples.detach().cpu().clamp(0, 1).mul(255).round().to(torch.ScalarType.Byte).contiguous();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        string shape = string.Join("x", split.Examples.shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        hash.AppendData(Encoding.ASCII.GetBytes($"gensharp-split {shape}\n"));
        hash.AppendData(levels.bytes);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
