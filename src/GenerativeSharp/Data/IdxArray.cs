namespace GenerativeSharp.Data;

/// <summary>
/// The content of an IDX file of unsigned bytes: its dimensions (outermost first) and the
/// row-major data, whose length is the product of <paramref name="Shape"/>.
/// </summary>
/// <param name="Shape">The dimensions, e.g. [60000, 28, 28] for an image file, [60000] for labels.</param>
/// <param name="Data">The elements in row-major order.</param>
public sealed record IdxArray(int[] Shape, byte[] Data);
