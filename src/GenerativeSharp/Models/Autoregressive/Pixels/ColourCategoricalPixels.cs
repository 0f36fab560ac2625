using GenerativeSharp.Runtime;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Autoregressive.Pixels;

/// <summary>
/// 8-bit RGB pixels as three 256-way categoricals: the network emits 3 x 256 logits per pixel,
/// grouped by channel [R logits | G logits | B logits], and with colour-group masks (see
/// <see cref="ChannelGroups"/>) the logits of channel c see only channels &lt; c of the pixel, so
/// p(r, g, b | before) = p(r | before) p(g | r, before) p(b | r, g, before) is the product of the
/// three softmaxes. Sampling takes one network pass per channel.
/// Reference: van den Oord, Kalchbrenner and Kavukcuoglu, "Pixel Recurrent Neural Networks", ICML 2016, sections 3.4 and 5.3.
/// </summary>
public sealed class ColourCategoricalPixels : IPixelLikelihood
{
    private const int Levels = 256;
    private const int Colours = 3;

    public int ParametersPerPixel => Colours * Levels;

    public int Channels => Colours;

    public int ChannelsPerPass => 1;

    public int ColourGroups => Colours;

    public Tensor LogProb(Tensor parameters, Tensor x)
    {
        using var scope = NewDisposeScope();
        long batch = parameters.shape[0], height = parameters.shape[2], width = parameters.shape[3];
        Tensor logits = parameters.view(batch, Colours, Levels, height, width);                 // [B, 3, 256, H, W]
        Tensor level = (x * (Levels - 1)).round().clamp(0, Levels - 1).to(ScalarType.Int64);   // [B, 3, H, W]
        Tensor perChannel = logits.log_softmax(2).gather(2, level.unsqueeze(2)).squeeze(2);    // [B, 3, H, W]
        return perChannel.sum(1, keepdim: true).MoveToOuterDisposeScope();                     // [B, 1, H, W]
    }

    /// <summary>Draws channel <paramref name="first"/> from its 256 logits: parameters [B, 3 x 256] -> [B, 1].</summary>
    public Tensor DrawChannels(Tensor parameters, Tensor pixel, Tensor? missing, int first, Generator? generator)
    {
        if (first < 0 || first >= Colours) throw new ArgumentOutOfRangeException(nameof(first), first, "RGB has channels 0, 1 and 2");
        using var scope = NewDisposeScope();
        Tensor probabilities = parameters.narrow(1, first * Levels, Levels).softmax(1);         // [B, 256]
        Tensor level = SeededRandom.Categorical(probabilities, generator);                      // [B, 1]
        return (level.to(parameters.dtype) / (Levels - 1)).MoveToOuterDisposeScope();
    }
}
