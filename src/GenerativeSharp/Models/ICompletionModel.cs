using static TorchSharp.torch;

namespace GenerativeSharp.Models;

/// <summary>
/// Autoregressive models that fill in missing pixels: they visit the pixels in their own order and
/// draw each unknown one from p(x_d | everything before d), keeping the known pixels as they are.
/// For an unknown pixel this conditions on the known pixels that come before it in the order (all
/// of them when the hole is below and to the right of the known part, as with a missing lower half).
/// </summary>
public interface ICompletionModel : IGenerativeModel
{
    /// <summary>
    /// Completes <paramref name="images"/> [B, ...EventShape]: where <paramref name="known"/> (same
    /// shape, 1 = known, 0 = missing) is 1 the pixel is returned unchanged; elsewhere it is drawn.
    /// </summary>
    Tensor Complete(Tensor images, Tensor known, Generator? generator = null);

    /// <summary>Throws unless the known-pixel mask has the images' shape.</summary>
    static void CheckKnownMask(Tensor images, Tensor known)
    {
        if (!known.shape.SequenceEqual(images.shape))
            throw new ArgumentException(
                $"the known-pixel mask must have the images' shape [{string.Join(", ", images.shape)}]; got [{string.Join(", ", known.shape)}].", nameof(known));
    }
}
