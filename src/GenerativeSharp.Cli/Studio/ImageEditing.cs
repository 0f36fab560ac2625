using GenerativeSharp.Completion;
using GenerativeSharp.Data;
using GenerativeSharp.Imaging;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Autoregressive;
using GenerativeSharp.Models.Translation;
using GenerativeSharp.Runtime;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Cli.Studio;

/// <summary>
/// The translate and repair views' torch work, through the same library calls as <c>gensharp translate --image</c>
/// and <c>gensharp complete --image --mask</c>. Called inside <see cref="StudioRun.EvaluateAsync{T}"/>.
/// </summary>
internal static class ImageEditing
{
    /// <summary>The most completions one repair request draws.</summary>
    public const int MaxCompletions = 8;

    /// <summary>An image-to-image model's output for an uploaded image (resized to the model's side), as PNG bytes.</summary>
    public static byte[] Translate(LoadedCheckpoint loaded, UploadedImage upload, long seed, TranslationDirection way)
    {
        var model = loaded.Model;
        if (model.Module is not IConditionalSampler { Context: ContextKind.PairedImage } translator)
            throw new InvalidInputException($"{model.Recipe.Info.Name} does not translate images (pix2pix and cyclegan do).");
        CycleGan? cycle = model.Module as CycleGan;
        if (way == TranslationDirection.BToA && cycle is null)
            throw new InvalidInputException($"direction b2a: {model.Recipe.Info.Name} has no B -> A generator (only cyclegan translates both ways).");
        long[] shape = way == TranslationDirection.BToA ? cycle!.EventShape
            : translator switch { Pix2Pix p => p.InputShape, CycleGan c => c.InputShape, _ => translator.EventShape };
        torch.Tensor x = ImageFile.Read(upload.Path, (int)shape[0], (int)shape[1]);                     // [1, C_in, S, S]
        using var generator = new torch.Generator((ulong)seed, torch.CPU);
        torch.Tensor y = way == TranslationDirection.BToA ? cycle!.Translate(x, way) : translator.Sample(x, generator);
        return PngEncoding.Encode(y);
    }

    /// <summary>
    /// <paramref name="count"/> completions of an uploaded gray image, side by side, where the uploaded mask is bright
    /// (both the model's size); known pixels are returned exactly as given.
    /// </summary>
    public static byte[] Complete(LoadedCheckpoint loaded, UploadedImage image, UploadedImage mask, long seed, int count, int? label)
    {
        var model = loaded.Model;
        if (model.Model is not ICompletionModel completer || model.Model.EventShape.Length != 3)
            throw new InvalidInputException($"{model.Recipe.Info.Name} cannot complete images (nade, made, pixelcnn and gated-pixelcnn can).");
        if (count is < 1 or > MaxCompletions) throw new InvalidInputException($"count {count}: expected 1 to {MaxCompletions}.");
        long[] shape = model.Model.EventShape;
        torch.Tensor input = ReadMatching(image.Path, shape, "image").unsqueeze(0);                    // [1, 1, H, W]
        torch.Tensor known = CompletionMasks.FromMaskImage(ReadMatching(mask.Path, shape, "mask")).unsqueeze(0);
        bool binary = loaded.State.Binarize != BinarizationMode.None;
        torch.Tensor conditioning = binary ? input.ge(0.5).to(torch.float32) : input;
        torch.Tensor? labels = null;
        if (model.Module is IConditionalSampler { Context: ContextKind.ClassLabel } conditional)
        {
            int l = label ?? throw new InvalidInputException("this model is class-conditional: give a label.");
            if (l < 0 || l >= conditional.Classes) throw new InvalidInputException($"label {l}: expected a class in [0, {conditional.Classes - 1}].");
            labels = torch.full([count], l, torch.ScalarType.Int64);
        }
        torch.Tensor batch = conditioning.repeat(count, 1, 1, 1), knownBatch = known.repeat(count, 1, 1, 1);
        using var generator = new torch.Generator(Seeds.Derive(seed, 7), torch.CPU);
        torch.Tensor filled = model.Module is PixelAutoregressiveModel pixel && labels is not null
            ? pixel.Complete(batch, knownBatch, labels, generator)
            : completer.Complete(batch, knownBatch, generator);
        torch.Tensor result = torch.where(knownBatch.eq(1), input.repeat(count, 1, 1, 1), filled);      // [R, 1, H, W]
        return PngEncoding.Encode(result);
    }

    /// <summary>Test image <paramref name="index"/> of the run's data as the model sees it (statically binarized for a binary model).</summary>
    public static byte[] TestImage(StudioRun run, LoadedCheckpoint loaded, int index)
    {
        TensorDataset test = run.Data.Test;
        if (!run.Data.Description.IsImage) throw new InvalidInputException("this run's data are not images.");
        if (index < 0 || index >= test.Count) throw new InvalidInputException($"index {index}: the test set has images 0 to {test.Count - 1}.");
        torch.Tensor x = test.Examples.narrow(0, index, 1);
        return PngEncoding.Encode(loaded.State.Binarize == BinarizationMode.None ? x : Binarization.Static(x));
    }

    /// <summary>The mask of a generated hole (lower-half, right-half, center, watermark) at the model's size: white where pixels are missing.</summary>
    public static byte[] HoleMask(LoadedCheckpoint loaded, string hole)
    {
        long[] shape = loaded.Model.Model.EventShape;
        if (shape.Length != 3) throw new InvalidInputException("this model does not draw images.");
        torch.Tensor known = CompletionMasks.Make(CompletionMasks.Parse(hole), 1, shape[1], shape[2]);   // [1, 1, H, W], 1 = known
        return PngEncoding.Encode(1 - known);
    }

    private static torch.Tensor ReadMatching(string path, long[] shape, string field)
    {
        torch.Tensor image = GrayImageFile.Read(path);
        if (!image.shape.SequenceEqual(shape))
            throw new InvalidInputException($"{field} is {image.shape[2]}x{image.shape[1]} pixels; the model's images are {shape[2]}x{shape[1]} (gray).");
        return image;
    }
}
