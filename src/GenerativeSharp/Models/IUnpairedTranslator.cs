namespace GenerativeSharp.Models;

/// <summary>
/// An image-to-image model trained on unpaired images (CycleGAN, Zhu et al. 2017): its data is given as two
/// folders like paired data (<c>--data A --target B</c>), but the trainer draws each step's targets with a
/// permutation of their own, independent of the inputs' order, so the pairing by relative path is never used in
/// training. Evaluation still scores the outputs against the paired targets where the folders are paired.
/// </summary>
public interface IUnpairedTranslator : IConditionalSampler
{
}
