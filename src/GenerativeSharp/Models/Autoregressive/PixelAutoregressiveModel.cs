using GenerativeSharp.Runtime;
using GenerativeSharp.Models.Autoregressive.Pixels;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Autoregressive;

/// <summary>
/// What PixelCNN and Gated PixelCNN share: a causal convolutional network maps an image (and, for a
/// class-conditional model, a label) to per-pixel parameters of a <see cref="IPixelLikelihood"/>,
/// where the parameters at pixel (i, j) depend only on the pixels before it in raster order. Then
/// log p(x) = sum_ij log p(x_ij | x before ij) is one network pass, and sampling or completing an
/// image is one pass per pixel. Because row i never sees rows below it, those passes run on the
/// rows up to the current one only, which halves their cost on average.
/// Colour images [3, H, W] are ordered pixel by pixel and, within a pixel, R, G, B: the likelihood
/// says how many of a pixel's channels one pass determines (<see cref="IPixelLikelihood.ChannelsPerPass"/>),
/// so the 256-way softmax takes a pass per channel and the logistic mixture one per pixel.
/// References: van den Oord, Kalchbrenner and Kavukcuoglu, "Pixel Recurrent Neural Networks", ICML 2016;
/// Salimans, Karpathy, Chen and Kingma, "PixelCNN++", ICLR 2017.
/// </summary>
public abstract class PixelAutoregressiveModel : nn.Module, IDensityModel, ITrainable, ICompletionModel
{
    protected PixelAutoregressiveModel(string name, long[] eventShape, PixelLikelihoodKind likelihood, int mixtures, int classes)
        : base(name)
    {
        PixelModelOptions.ValidateShape(name, eventShape);
        EventShape = eventShape;
        Likelihood = IPixelLikelihood.Create(likelihood, mixtures, eventShape[0]);
        Classes = classes;
    }

    public long[] EventShape { get; }

    /// <summary>The per-pixel distribution the network parameterises.</summary>
    public IPixelLikelihood Likelihood { get; }

    /// <summary>Number of classes the model is conditioned on; 0 for an unconditional model.</summary>
    public int Classes { get; }

    /// <summary>The device of the model's parameters.</summary>
    public Device Device => parameters().First().device;

    /// <summary>
    /// The causal network: images [B, C, h, W] in [0, 1] (h &lt;= H: the top rows of an image) and
    /// labels [B] (null when unconditional) -> likelihood parameters [B, P, h, W]; for colour the
    /// parameters of channel c at pixel ij see channels &lt; c of pixel ij at most.
    /// </summary>
    public abstract Tensor PixelParameters(Tensor x, Tensor? labels = null);

    /// <summary>
    /// Exact log p(x), [B]. For a class-conditional model this is the marginal
    /// log (1/C) sum_y p(x | y) under a uniform class prior (C network passes).
    /// </summary>
    public Tensor LogProb(Tensor x)
    {
        if (Classes == 0) return LogProb(x, null);
        using var scope = NewDisposeScope();
        Tensor perClass = stack(Enumerable.Range(0, Classes)
            .Select(y => LogProb(x, full(x.shape[0], y, ScalarType.Int64, device: x.device))).ToArray());   // [C, B]
        return (perClass.logsumexp(0) - Math.Log(Classes)).MoveToOuterDisposeScope();
    }

    /// <summary>Exact log p(x | label), [B]; <paramref name="labels"/> [B] int64 for a conditional model, else null.</summary>
    public Tensor LogProb(Tensor x, Tensor? labels)
    {
        CheckBatch(x, fullHeight: true);
        using var scope = NewDisposeScope();
        Tensor perPixel = Likelihood.LogProb(PixelParameters(x, CheckLabels(labels, x.shape[0])), x);   // [B, 1, H, W]
        return perPixel.flatten(1).sum(1).MoveToOuterDisposeScope();
    }

    /// <summary>-mean log p(batch); metrics "nll" (nats per image).</summary>
    public StepResult Loss(Tensor batch, Generator? generator = null) => ConditionalLoss(batch, null);

    /// <summary>-mean log p(batch | labels) for a conditional model.</summary>
    public StepResult Loss(Tensor batch, Tensor labels, Generator? generator = null) => ConditionalLoss(batch, labels);

    private StepResult ConditionalLoss(Tensor batch, Tensor? labels)
    {
        Tensor nll = -LogProb(batch, labels).mean();
        return new StepResult(nll, new Dictionary<string, Tensor> { ["nll"] = nll.detach() });
    }

    /// <summary>Draws images [count, C, H, W] pixel by pixel in raster order, R, G, B within a colour pixel (a conditional model draws random classes).</summary>
    public Tensor Sample(int count, Generator? generator = null)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "need at least one sample");
        using var scope = NewDisposeScope();
        Tensor? labels = Classes > 0 ? SeededRandom.Integers(Classes, [count], ScalarType.Int64, Device, generator) : null;
        return DrawImages(count, labels, generator).MoveToOuterDisposeScope();
    }

    /// <summary>Draws one image per label [count] (int64 class indices) from p(x | label).</summary>
    public Tensor Sample(Tensor labels, Generator? generator = null) => DrawImages(labels.shape[0], CheckLabels(labels, labels.shape[0]), generator);

    /// <summary>
    /// Completes images as <see cref="ICompletionModel.Complete"/>. For colour images
    /// <paramref name="known"/> may also be [B, 1, H, W], marking whole pixels known or missing in
    /// all three channels; a full [B, 3, H, W] mask may leave some channels of a pixel known.
    /// </summary>
    public Tensor Complete(Tensor images, Tensor known, Generator? generator = null) => Complete(images, known, null, generator);

    /// <summary>Completes images as <see cref="Complete(Tensor, Tensor, Generator?)"/>, conditioned on <paramref name="labels"/> when the model is.</summary>
    public Tensor Complete(Tensor images, Tensor known, Tensor? labels, Generator? generator = null)
    {
        CheckBatch(images, fullHeight: true);
        bool perPixel = EventShape[0] > 1 && known.dim() == 4 && known.shape[1] == 1
            && known.shape[0] == images.shape[0] && known.shape[2] == images.shape[2] && known.shape[3] == images.shape[3];
        if (!perPixel) ICompletionModel.CheckKnownMask(images, known);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor x = images.to(float32).to(Device).clone();
        Tensor missing = known.to(Device).eq(0);                                            // [B, C, H, W] or [B, 1, H, W]
        if (perPixel) missing = missing.expand(images.shape);                               // [B, 1, H, W] -> [B, C, H, W]
        Fill(x, missing, CheckLabels(labels, images.shape[0]), generator);
        return x.MoveToOuterDisposeScope();
    }

    private Tensor DrawImages(long count, Tensor? labels, Generator? generator)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor x = zeros([count, .. EventShape], device: Device);
        Fill(x, null, labels, generator);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Draws every pixel channel of x that is missing (all when <paramref name="missing"/> is null) in
    /// raster order, in place: per pixel, one network pass per <see cref="IPixelLikelihood.ChannelsPerPass"/> channels.
    /// </summary>
    private void Fill(Tensor x, Tensor? missing, Tensor? labels, Generator? generator)
    {
        (this as nn.Module).eval();
        long channels = EventShape[0], height = EventShape[1], width = EventShape[2];
        int perPass = Likelihood.ChannelsPerPass;
        bool[]? anyMissing = missing?.any(0).flatten().cpu().data<bool>().ToArray();    // [C*H*W]: is channel c of pixel ij missing in any image
        for (long i = 0; i < height; i++)
        {
            for (long j = 0; j < width; j++)
            {
                for (int first = 0; first < channels; first += perPass)
                {
                    if (anyMissing is not null && !Enumerable.Range(first, perPass).Any(c => anyMissing[(c * height + i) * width + j])) continue;
                    using var inner = NewDisposeScope();
                    Tensor rows = x.narrow(2, 0, i + 1);                                          // [B, C, i+1, W]: rows up to i
                    Tensor atPixel = PixelParameters(rows, labels).select(3, j).select(2, i);      // [B, P]
                    Tensor pixel = x.select(3, j).select(2, i);                                    // [B, C], a view into x
                    Tensor? missingPixel = missing?.select(3, j).select(2, i);                     // [B, C]
                    Tensor drawn = Likelihood.DrawChannels(atPixel, pixel, missingPixel, first, generator);   // [B, perPass]
                    Tensor target = pixel.narrow(1, first, perPass);                               // [B, perPass], a view into x
                    target.copy_(missingPixel is null ? drawn : where(missingPixel.narrow(1, first, perPass), drawn, target));
                }
            }
        }
    }

    private Tensor? CheckLabels(Tensor? labels, long batch)
    {
        if (Classes == 0)
        {
            if (labels is not null && labels.numel() > 0)
                throw new InvalidInputException("this model is not class-conditional; give no labels.");
            return null;
        }
        if (labels is null)
            throw new InvalidInputException($"this model is conditioned on {Classes} classes; give a label per image.");
        if (labels.dim() != 1 || labels.shape[0] != batch)
            throw new ArgumentException($"labels must be [{batch}]; got [{string.Join(", ", labels.shape)}].");
        // The range is read back only from CPU labels: on a GPU that read would stall every step, and the
        // Trainer checks the whole training set's labels once before the first step.
        if (labels.device_type == DeviceType.CPU)
        {
            long min = labels.min().item<long>(), max = labels.max().item<long>();
            if (min < 0 || max >= Classes)
                throw new InvalidInputException($"labels must lie in [0, {Classes - 1}]; got values from {min} to {max}.");
        }
        return labels.to(ScalarType.Int64).to(Device);
    }

    /// <summary>Checks x is [B, C, H, W], or [B, C, h, W] with h &lt;= H when the network runs on the top rows only.</summary>
    protected void CheckBatch(Tensor x, bool fullHeight)
    {
        if (x.dim() != 4 || x.shape[1] != EventShape[0] || x.shape[3] != EventShape[2]
            || (fullHeight ? x.shape[2] != EventShape[1] : x.shape[2] > EventShape[1]))
            throw new ArgumentException($"expected a batch [B, {string.Join(", ", EventShape)}]; got [{string.Join(", ", x.shape)}].");
    }
}
