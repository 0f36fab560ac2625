using TorchSharp;
using TorchSharp.Modules;
using Bernoulli = GenerativeSharp.Distributions.Bernoulli;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Autoregressive;

/// <summary>
/// Masked autoencoder for distribution estimation: an MLP from the D pixels to D Bernoulli logits
/// whose weights are multiplied by binary masks so that output d sees only the pixels before d in
/// an ordering, which makes p(x) = prod_d p(x_d | x_&lt;d) exact and normalised in one pass.
/// Each mask comes from an input ordering (mask 0 keeps the natural raster order) and random
/// hidden connectivity degrees, all drawn from <see cref="MadeOptions.MaskSeed"/>. With
/// <see cref="MadeOptions.Masks"/> = M &gt; 1 training cycles through the M masks
/// (connectivity-agnostic training) and <see cref="LogProb"/> is the ensemble
/// log (1/M) sum_m p_m(x).
/// Reference: Germain, Gregor, Murray and Larochelle, "MADE: Masked Autoencoder for Distribution
/// Estimation", ICML 2015 (arXiv:1502.03509).
/// </summary>
public sealed class Made : nn.Module, IDensityModel, ITrainable, ICompletionModel
{
    private readonly ModuleList<MaskedLinear> layers;
    private readonly Tensor step;                 // [] int64: Loss calls so far; picks the training mask
    private readonly int[][] orderings;           // [M][D]: pixel indices in autoregressive order
    private readonly long dimensions;

    public Made(MadeOptions options) : base(nameof(Made))
    {
        options.Validate();
        Options = options;
        dimensions = options.EventShape.Aggregate(1L, (a, b) => a * b);
        int d = checked((int)dimensions);
        int[] widths = [d, .. Enumerable.Repeat(options.Hidden, options.Depth), d];
        (orderings, float[][][] masks) = BuildMasks(d, widths, options.Masks, options.MaskSeed);
        layers = new ModuleList<MaskedLinear>();
        for (int l = 0; l < widths.Length - 1; l++)
        {
            Tensor layerMasks = tensor(masks[l].SelectMany(m => m).ToArray(), new long[] { options.Masks, widths[l + 1], widths[l] });
            layers.Add(new MaskedLinear(widths[l], widths[l + 1], layerMasks));
        }
        step = zeros(Array.Empty<long>(), dtype: ScalarType.Int64);
        RegisterComponents();
    }

    public MadeOptions Options { get; }

    public long[] EventShape => Options.EventShape;

    /// <summary>The device of the model's parameters.</summary>
    public Device Device => parameters().First().device;

    /// <summary>The pixel indices (into the flattened image) in the autoregressive order of mask <paramref name="mask"/>.</summary>
    public int[] Ordering(int mask = 0) => (int[])orderings[CheckMask(mask)].Clone();

    /// <summary>Layer <paramref name="layer"/>'s binary mask <paramref name="mask"/> [out, in] (float32; PyTorch's MADE keeps it as a buffer).</summary>
    public Tensor LayerMask(int layer, int mask = 0) => layers[layer].Mask(CheckMask(mask));

    /// <summary>The number of masked linear layers (Depth + 1).</summary>
    public int LayerCount => layers.Count;

    /// <summary>The mask the next training Loss call uses.</summary>
    public int TrainingMask => (int)(step.item<long>() % Options.Masks);

    /// <summary>Bernoulli logits of p(x_d = 1 | x before d) under mask <paramref name="mask"/>: x [B, ...event] -> [B, ...event].</summary>
    public Tensor Logits(Tensor x, int mask = 0)
    {
        CheckBatch(x);
        CheckMask(mask);
        using var scope = NewDisposeScope();
        Tensor h = x.flatten(1);                                              // [B, D]
        for (int l = 0; l < layers.Count; l++)
        {
            h = layers[l].forward(h, mask);                                   // [B, H] ... [B, D]
            if (l < layers.Count - 1) h = nn.functional.relu(h);
        }
        return h.view(x.shape).MoveToOuterDisposeScope();
    }

    /// <summary>Exact log p(x) under one mask, [B].</summary>
    public Tensor LogProbUnderMask(Tensor x, int mask = 0)
    {
        using var scope = NewDisposeScope();
        return new Bernoulli(Logits(x, mask)).LogProb(x).MoveToOuterDisposeScope();
    }

    /// <summary>The ensemble log (1/M) sum_m p_m(x) over all M masks (logsumexp - log M), [B].</summary>
    public Tensor LogProbEnsemble(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor perMask = stack(Enumerable.Range(0, Options.Masks).Select(m => LogProbUnderMask(x, m)).ToArray());  // [M, B]
        return (perMask.logsumexp(0) - Math.Log(Options.Masks)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Exact log p(x), [B]: under mask 0 when <see cref="MadeOptions.Masks"/> is 1, otherwise the
    /// ensemble <see cref="LogProbEnsemble"/> over all masks (itself an exact, normalised density).
    /// </summary>
    public Tensor LogProb(Tensor x) => Options.Masks == 1 ? LogProbUnderMask(x, 0) : LogProbEnsemble(x);

    /// <summary>-mean log p(batch) under the current training mask; each call moves on to the next mask.</summary>
    public StepResult Loss(Tensor batch, Generator? generator = null)
    {
        int mask = TrainingMask;
        using (no_grad()) step.add_(1);
        Tensor nll = -LogProbUnderMask(batch, mask).mean();
        return new StepResult(nll, new Dictionary<string, Tensor> { ["nll"] = nll.detach() });
    }

    /// <summary>
    /// Ancestral sampling in the ordering of mask 0: D forward passes, each drawing one pixel.
    /// Returns the drawn binary images [count, ...event] (not probabilities: only the last pixel's
    /// probability would be known without the draws before it).
    /// </summary>
    public Tensor Sample(int count, Generator? generator = null)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "need at least one sample");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long[] shape = [count, .. EventShape];
        Tensor x = zeros(shape, dtype: layers[0].Weight.dtype, device: Device);    // [N, ...event]
        Tensor flat = x.view(count, dimensions);                                     // [N, D], shares x's storage
        foreach (int d in orderings[0])
        {
            using var inner = NewDisposeScope();
            Tensor p = Logits(x, 0).view(count, dimensions).select(1, d).sigmoid();  // [N]
            flat.select(1, d).copy_(Bernoulli.Draw(p, generator));
        }
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Fills the missing pixels in the ordering of mask 0, one forward pass each, keeping the known ones.</summary>
    public Tensor Complete(Tensor images, Tensor known, Generator? generator = null)
    {
        CheckBatch(images);
        ICompletionModel.CheckKnownMask(images, known);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long count = images.shape[0];
        Tensor x = images.to(layers[0].Weight.dtype).to(Device).clone();          // [N, ...event]
        Tensor flat = x.view(count, dimensions);                                    // [N, D], shares x's storage
        Tensor missing = known.to(Device).reshape(count, dimensions).eq(0);         // [N, D]
        bool[] anyMissing = missing.any(0).cpu().data<bool>().ToArray();
        foreach (int d in orderings[0])
        {
            if (!anyMissing[d]) continue;
            using var inner = NewDisposeScope();
            Tensor p = Logits(x, 0).view(count, dimensions).select(1, d).sigmoid();  // [N]
            flat.select(1, d).copy_(where(missing.select(1, d), Bernoulli.Draw(p, generator), flat.select(1, d)));
        }
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Orderings and masks for every mask m (Germain et al., section 4): input degrees m(d) = the
    /// position of pixel d in the ordering (1..D); hidden degrees uniform in [min of the previous
    /// layer, D-1]; a hidden unit k sees unit j when m(k) &gt;= m(j); output d sees k when m(d) &gt; m(k).
    /// </summary>
    private static (int[][] Orderings, float[][][] Masks) BuildMasks(int d, int[] widths, int count, int seed)
    {
        var random = new Random(seed);
        var orderings = new int[count][];
        var masks = new float[widths.Length - 1][][];
        for (int l = 0; l < masks.Length; l++) masks[l] = new float[count][];
        for (int m = 0; m < count; m++)
        {
            int[] ordering = Enumerable.Range(0, d).ToArray();
            if (m > 0) random.Shuffle(ordering);
            orderings[m] = ordering;
            var inputDegree = new int[d];
            for (int position = 0; position < d; position++) inputDegree[ordering[position]] = position + 1;
            int[] previous = inputDegree;
            for (int l = 0; l < masks.Length; l++)
            {
                bool output = l == masks.Length - 1;
                int low = previous.Min();
                int[] degree = output ? inputDegree : Enumerable.Range(0, widths[l + 1]).Select(_ => random.Next(low, d)).ToArray();
                var mask = new float[widths[l + 1] * widths[l]];
                for (int k = 0; k < widths[l + 1]; k++)
                    for (int j = 0; j < widths[l]; j++)
                        mask[k * widths[l] + j] = (output ? degree[k] > previous[j] : degree[k] >= previous[j]) ? 1f : 0f;
                masks[l][m] = mask;
                previous = degree;
            }
        }
        return (orderings, masks);
    }

    private int CheckMask(int mask)
    {
        if (mask < 0 || mask >= Options.Masks)
            throw new ArgumentOutOfRangeException(nameof(mask), mask, $"expected a mask in [0, {Options.Masks - 1}]");
        return mask;
    }

    private void CheckBatch(Tensor x)
    {
        if (x.dim() != EventShape.Length + 1 || !x.shape.Skip(1).SequenceEqual(EventShape))
            throw new ArgumentException($"expected a batch [B, {string.Join(", ", EventShape)}]; got [{string.Join(", ", x.shape)}].");
    }

    /// <summary>A linear layer whose weight is multiplied by one of M fixed binary masks (buffers, rebuilt from the options, not trained).</summary>
    private sealed class MaskedLinear : nn.Module
    {
        private readonly Parameter weight;    // [out, in]
        private readonly Parameter bias;      // [out]
        private Tensor masks;                 // [M, out, in]

        public MaskedLinear(int inputs, int outputs, Tensor masks) : base(nameof(MaskedLinear))
        {
            double bound = 1.0 / Math.Sqrt(inputs);                           // nn.Linear's default init
            weight = nn.Parameter((rand(outputs, inputs) * 2 - 1) * bound);
            bias = nn.Parameter((rand(outputs) * 2 - 1) * bound);
            this.masks = masks;
            register_parameter(nameof(weight), weight);
            register_parameter(nameof(bias), bias);
            register_buffer(nameof(masks), masks, persistent: false);
        }

        public Parameter Weight => weight;

        /// <summary>A copy of mask <paramref name="mask"/> on the weight's device: [out, in].</summary>
        public Tensor Mask(int mask) => MasksOn(weight.device)[mask].clone();

        /// <summary>
        /// The masks on the weight's device: Module.to() in TorchSharp 0.107 moves only persistent
        /// buffers, so the masks follow the weight here, once per move.
        /// </summary>
        private Tensor MasksOn(Device device)
        {
            if (masks.device_type == device.type && masks.device_index == device.index) return masks;
            Tensor moved = masks.to(device).DetachFromDisposeScope();
            masks.Dispose();
            masks = moved;
            return masks;
        }

        public Tensor forward(Tensor x, int mask)
        {
            using var scope = NewDisposeScope();
            return nn.functional.linear(x, weight * MasksOn(weight.device)[mask], bias).MoveToOuterDisposeScope();
        }
    }
}
