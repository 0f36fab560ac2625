using GenerativeSharp.Models;
using static TorchSharp.torch;

namespace GenerativeSharp.Data;

/// <summary>
/// One batch on its way through a training step or an evaluation: the inputs, and what came with
/// them: class labels and paired targets. An unconditional model takes the inputs alone. A
/// class-conditional model models the inputs given their labels; an image-to-image model
/// (<see cref="ContextKind.PairedImage"/>) models each target given its input image, p(target | input).
/// </summary>
/// <param name="Inputs">float32 [B, ...EventShape]</param>
/// <param name="Labels">int64 [B] class indices, or null</param>
/// <param name="Targets">float32 [B, ...] paired images (each input's true output), or null</param>
public sealed record Batch(Tensor Inputs, Tensor? Labels = null, Tensor? Targets = null)
{
    /// <summary>Examples in the batch.</summary>
    public long Count => Inputs.shape[0];

    /// <summary>The context <paramref name="model"/> is conditioned on; refuses, in one line, data that lacks it.</summary>
    public Tensor ContextFor(IConditionalSampler model) => model.Context switch
    {
        ContextKind.ClassLabel => Labels ?? throw new InvalidInputException(
            $"the model is conditioned on {model.Classes} classes, but the data has no labels (use IDX files with labels or a folder with class sub-folders)."),
        ContextKind.PairedImage => Targets is null ? throw Unpaired() : Inputs,
        _ => throw new ArgumentOutOfRangeException(nameof(model)),
    };

    /// <summary>What <paramref name="model"/> models: the targets of an image-to-image model, else the inputs.</summary>
    public Tensor ExamplesFor(IConditionalSampler model) =>
        model.Context == ContextKind.PairedImage ? Targets ?? throw Unpaired() : Inputs;

    private static InvalidInputException Unpaired() =>
        new("the model translates paired images, but the data is not paired (give --target DIR2 with the true outputs).");
}
