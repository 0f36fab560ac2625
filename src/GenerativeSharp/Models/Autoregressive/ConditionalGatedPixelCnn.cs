using static TorchSharp.torch;

namespace GenerativeSharp.Models.Autoregressive;

/// <summary>
/// A class-conditional Gated PixelCNN: p(x | y) with the class term V y in every gate (van den Oord
/// et al. 2016b, section 2.3). Trained on images with their labels; its unconditional
/// <see cref="PixelAutoregressiveModel.LogProb(Tensor)"/> is the marginal under a uniform class prior.
/// </summary>
public sealed class ConditionalGatedPixelCnn(GatedPixelCnnOptions options)
    : GatedPixelCnn(options, conditional: true), IConditionalTrainable, IConditionalDensity
{
    /// <summary>Class labels [B] in [0, Classes).</summary>
    public ContextKind Context => ContextKind.ClassLabel;

    StepResult IConditionalTrainable.Loss(Tensor x, Tensor context, Generator? generator) => Loss(x, context, generator);

    Tensor IConditionalDensity.LogProb(Tensor x, Tensor context) => LogProb(x, context);

    Tensor IConditionalSampler.Sample(Tensor context, Generator? generator) => Sample(context, generator);
}
