namespace GenerativeSharp.Models.Autoregressive;

/// <summary>
/// Colour groups of feature maps for masked convolutions on RGB images. With C = 3 colours every
/// feature map of a masked layer belongs to one group g (R = 0, G = 1, B = 2); at a kernel's centre
/// tap, output group g may read input groups &lt; g (type A) or &lt;= g (type B), so the features of
/// group g at pixel ij see only the colours &lt; g of pixel ij itself. Taps above or left of the
/// centre are not restricted. A grey-scale image has a single group and no channel masking.
/// Reference: van den Oord, Kalchbrenner and Kavukcuoglu, "Pixel Recurrent Neural Networks", ICML 2016, section 3.4.
/// </summary>
public static class ChannelGroups
{
    /// <summary>
    /// Groups of a layer <paramref name="width"/> wide split into <paramref name="colours"/> contiguous
    /// equal blocks: [R...R G...G B...B]. The image itself (width = colours) has group = channel.
    /// </summary>
    public static int[] Contiguous(long width, int colours)
    {
        if (colours < 1 || width % colours != 0)
            throw new ArgumentException($"a layer of {width} feature maps cannot be split into {colours} equal colour groups.", nameof(width));
        long size = width / colours;
        return Enumerable.Range(0, (int)width).Select(k => (int)(k / size)).ToArray();
    }

    /// <summary>
    /// Groups of a gate's pre-activations [tanh half | sigmoid half], <paramref name="width"/> = 2p:
    /// each half is split as <see cref="Contiguous"/>, so the two factors multiplied into gated map k
    /// (k and p + k) are in the same group as the p-wide gated output's map k.
    /// </summary>
    public static int[] GateHalves(long width, int colours)
    {
        if (width % 2 != 0) throw new ArgumentException($"a gate needs an even number of feature maps; got {width}.", nameof(width));
        int[] half = Contiguous(width / 2, colours);
        return [.. half, .. half];
    }

    /// <summary>
    /// The mask of a kernel [O, I, kH, kW] flattened: 1 where input map i at a tap may reach output
    /// map o. Taps in rows above <paramref name="centreRow"/> or left of <paramref name="centreColumn"/>
    /// in the centre row are 1; taps below or to the right are 0; at the centre,
    /// group(o) &gt; group(i) (type A) or group(o) &gt;= group(i) (type B).
    /// </summary>
    public static float[] KernelMask(int[] outputGroups, int[] inputGroups, long kernelHeight, long kernelWidth, long centreRow, long centreColumn, MaskType type)
    {
        long outputs = outputGroups.Length, inputs = inputGroups.Length, taps = kernelHeight * kernelWidth;
        var mask = new float[outputs * inputs * taps];
        for (long o = 0; o < outputs; o++)
            for (long i = 0; i < inputs; i++)
                for (long row = 0; row < kernelHeight; row++)
                    for (long column = 0; column < kernelWidth; column++)
                    {
                        bool centre = row == centreRow && column == centreColumn;
                        bool before = row < centreRow || (row == centreRow && column < centreColumn);
                        bool open = before || (centre && (type == MaskType.A ? outputGroups[o] > inputGroups[i] : outputGroups[o] >= inputGroups[i]));
                        mask[((o * inputs + i) * kernelHeight + row) * kernelWidth + column] = open ? 1f : 0f;
                    }
        return mask;
    }
}
