using GenerativeSharp.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Autoregressive;

/// <summary>
/// Gated PixelCNN: two stacks of gated convolutions. The vertical stack sees every pixel in the
/// rows above (and, inside the stack, its own row); shifted down one row it feeds the horizontal
/// stack, which sees the pixels to the left in the current row. Together they cover everything
/// before a pixel in raster order without PixelCNN's blind spot. Each gate is
/// tanh(W_f * x + V_f y) . sigmoid(W_g * x + V_g y), where the class term y is present only in a
/// conditional model; the horizontal stack is residual after its first layer.
/// Reference: van den Oord, Kalchbrenner, Vinyals, Espeholt, Graves and Kavukcuoglu, "Conditional
/// Image Generation with PixelCNN Decoders", NeurIPS 2016.
/// Colour images [3, H, W]: with the 256-way softmax the horizontal stack and the 1x1 head are split
/// into R, G and B groups (<see cref="GatedPixelCnnLayer"/>, <see cref="ChannelGroups"/>), so channel
/// c's logits see channels &lt; c of the pixel itself; with the logistic mixture the stacks keep
/// their grey-scale form on three input channels and see no colour of the pixel itself
/// (<see cref="Pixels.ColourLogisticMixturePixels"/>, as in PixelCNN++). A grey-scale model is built
/// exactly as before colour existed (names, shapes, initialisation). A class-conditional model is a
/// <see cref="ConditionalGatedPixelCnn"/> (build either with <see cref="Create"/>).
/// </summary>
public class GatedPixelCnn : PixelAutoregressiveModel
{
    private readonly ModuleList<GatedPixelCnnLayer> layers;
    private readonly nn.Module<Tensor, Tensor> hidden;
    private readonly nn.Module<Tensor, Tensor> output;
    private readonly Embedding? categories;

    /// <summary>An unconditional model (options.Classes = 0).</summary>
    public GatedPixelCnn(GatedPixelCnnOptions options) : this(options, conditional: false) { }

    /// <summary>Builds the layers; <paramref name="conditional"/> must match options.Classes &gt; 0.</summary>
    protected GatedPixelCnn(GatedPixelCnnOptions options, bool conditional)
        : base(nameof(GatedPixelCnn), options.EventShape, options.Likelihood, options.Mixtures, options.Classes)
    {
        options.Validate();
        if (conditional != options.Classes > 0)
            throw new ArgumentException($"classes={options.Classes}: build a {(conditional ? nameof(GatedPixelCnn) : nameof(ConditionalGatedPixelCnn))} (or use {nameof(GatedPixelCnn)}.{nameof(Create)}).", nameof(options));
        Options = options;
        int groups = Likelihood.ColourGroups;
        categories = options.CategoryEmbedding > 0 ? nn.Embedding(options.CategoryEmbedding, options.Channels) : null;
        long inputChannels = categories is null ? options.EventShape[0] : options.Channels;
        layers = new ModuleList<GatedPixelCnnLayer>();
        for (int l = 0; l < options.Layers; l++)
            layers.Add(new GatedPixelCnnLayer(l == 0 ? inputChannels : options.Channels, options.Channels, l == 0 ? 7 : 3, first: l == 0, options.Classes, groups));
        hidden = PixelCnn.Pointwise(options.Channels, 2L * options.Channels, groups);
        output = PixelCnn.Pointwise(2L * options.Channels, Likelihood.ParametersPerPixel, groups);
        RegisterComponents();
    }

    public GatedPixelCnnOptions Options { get; }

    /// <summary>A <see cref="ConditionalGatedPixelCnn"/> when options.Classes &gt; 0, else an unconditional model.</summary>
    public static GatedPixelCnn Create(GatedPixelCnnOptions options) =>
        options.Classes > 0 ? new ConditionalGatedPixelCnn(options) : new GatedPixelCnn(options);

    public override Tensor PixelParameters(Tensor x, Tensor? labels = null)
    {
        CheckBatch(x, fullHeight: false);
        using var scope = NewDisposeScope();
        Tensor vertical = categories is null ? x * 2 - 1 : Embedded(x), horizontal = vertical;   // [B, C, rows, W] or [B, channels, rows, W]
        foreach (var layer in layers) (vertical, horizontal) = layer.forward(vertical, horizontal, labels);
        Tensor h = hidden.forward(nn.functional.relu(horizontal));            // [B, 2p, rows, W]
        return output.forward(nn.functional.relu(h)).MoveToOuterDisposeScope();   // [B, P, rows, W]
    }

    /// <summary>Levels k / 255 [B, 1, rows, W] as category embeddings [B, channels, rows, W].</summary>
    private Tensor Embedded(Tensor x)
    {
        Tensor k = (x.squeeze(1) * 255).round().clamp(0, Options.CategoryEmbedding - 1).to(ScalarType.Int64);   // [B, rows, W]
        return categories!.forward(k).permute(0, 3, 1, 2);                    // [B, rows, W, channels] -> [B, channels, rows, W]
    }
}
