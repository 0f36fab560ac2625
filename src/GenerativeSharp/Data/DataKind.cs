namespace GenerativeSharp.Data;

/// <summary>What a dataset's examples are: images [N, 1, H, W] in [0, 1] or 2-D points [N, 2].</summary>
public enum DataKind
{
    /// <summary>Grey-scale images, float32 [N, 1, H, W] with intensities in [0, 1].</summary>
    Images,

    /// <summary>Points in the plane, float32 [N, 2] (the toy densities).</summary>
    Points,
}
