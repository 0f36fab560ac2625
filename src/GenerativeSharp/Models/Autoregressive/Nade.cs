using TorchSharp;
using TorchSharp.Modules;
using Bernoulli = GenerativeSharp.Distributions.Bernoulli;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Autoregressive;

/// <summary>
/// Neural autoregressive distribution estimator: p(x) = prod_d p(x_d | x_&lt;d) over the D pixels in
/// raster order, each conditional a one-hidden-layer net whose input weights are shared:
/// h_d = sigmoid(c + W[:, &lt;d] x_&lt;d), p(x_d = 1 | x_&lt;d) = sigmoid(b_d + V_d . h_d). Sharing W makes
/// the pre-activations of consecutive conditionals differ by one column, so all D of them come
/// from one cumulative sum: O(DH) per example for the exact log-likelihood.
/// Reference: Larochelle and Murray, "The Neural Autoregressive Distribution Estimator",
/// AISTATS 2011.
/// </summary>
public sealed class Nade : nn.Module, IDensityModel, ITrainable, ICompletionModel
{
    private const long ChunkElements = 16_000_000;     // bound on B*D*H per chunk of the density pass

    private readonly Parameter weight;                 // W [H, D]
    private readonly Parameter hiddenBias;             // c [H]
    private readonly Parameter outputWeight;           // V [D, H]
    private readonly Parameter visibleBias;            // b [D]
    private readonly long dimensions;

    public Nade(NadeOptions options) : base(nameof(Nade))
    {
        options.Validate();
        Options = options;
        dimensions = options.EventShape.Aggregate(1L, (a, b) => a * b);
        long hidden = options.Hidden;
        weight = nn.Parameter((rand(hidden, dimensions) * 2 - 1) / Math.Sqrt(dimensions));
        hiddenBias = nn.Parameter(zeros(hidden));
        outputWeight = nn.Parameter((rand(dimensions, hidden) * 2 - 1) / Math.Sqrt(hidden));
        visibleBias = nn.Parameter(zeros(dimensions));
        RegisterComponents();
    }

    public NadeOptions Options { get; }

    public long[] EventShape => Options.EventShape;

    /// <summary>The device of the model's parameters.</summary>
    public Device Device => parameters().First().device;

    /// <summary>Bernoulli logits of p(x_d = 1 | x_&lt;d) for every d: x [B, ...event] -> [B, ...event].</summary>
    public Tensor Logits(Tensor x)
    {
        CheckBatch(x);
        using var scope = NewDisposeScope();
        Tensor flat = x.flatten(1);                                            // [B, D]
        long batch = flat.shape[0];
        long chunk = Math.Clamp(ChunkElements / (dimensions * Options.Hidden), 1, Math.Max(1, batch));
        var pieces = new List<Tensor>();
        for (long start = 0; start < batch; start += chunk)
            pieces.Add(LogitsFlat(flat.narrow(0, start, Math.Min(chunk, batch - start))));
        Tensor logits = pieces.Count == 1 ? pieces[0] : cat(pieces, 0);
        return logits.view(x.shape).MoveToOuterDisposeScope();
    }

    /// <summary>Exact log p(x), [B].</summary>
    public Tensor LogProb(Tensor x)
    {
        using var scope = NewDisposeScope();
        return new Bernoulli(Logits(x)).LogProb(x).MoveToOuterDisposeScope();
    }

    /// <summary>-mean log p(batch); metric "nll".</summary>
    public StepResult Loss(Tensor batch, Generator? generator = null)
    {
        Tensor nll = -LogProb(batch).mean();
        return new StepResult(nll, new Dictionary<string, Tensor> { ["nll"] = nll.detach() });
    }

    /// <summary>
    /// Ancestral sampling in raster order, D steps of O(H) each (the hidden pre-activation gains one
    /// column of W per drawn pixel). Returns the drawn binary images [count, ...event].
    /// </summary>
    public Tensor Sample(int count, Generator? generator = null)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "need at least one sample");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor x = zeros(count, dimensions, dtype: weight.dtype, device: Device);   // [N, D]
        Tensor a = hiddenBias.unsqueeze(0).expand(count, -1).clone();              // [N, H]: c + W[:, <d] x_<d
        for (long d = 0; d < dimensions; d++)
        {
            using var inner = NewDisposeScope();
            Tensor h = a.sigmoid();                                                  // [N, H]
            Tensor p = (h.matmul(outputWeight[d]) + visibleBias[d]).sigmoid();       // [N]
            Tensor xd = Bernoulli.Draw(p, generator);                                // [N]
            x.select(1, d).copy_(xd);
            a.add_(xd.unsqueeze(1) * weight.select(1, d).unsqueeze(0));
        }
        long[] shape = [count, .. EventShape];
        return x.view(shape).MoveToOuterDisposeScope();
    }

    /// <summary>Fills the missing pixels in raster order as <see cref="Sample"/> draws them, keeping the known ones.</summary>
    public Tensor Complete(Tensor images, Tensor known, Generator? generator = null)
    {
        CheckBatch(images);
        ICompletionModel.CheckKnownMask(images, known);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long count = images.shape[0];
        Tensor x = images.to(weight.dtype).to(Device).flatten(1).clone();          // [N, D]
        Tensor missing = known.to(Device).flatten(1).eq(0);                        // [N, D]
        bool[] anyMissing = missing.any(0).cpu().data<bool>().ToArray();
        Tensor a = hiddenBias.unsqueeze(0).expand(count, -1).clone();              // [N, H]
        for (long d = 0; d < dimensions; d++)
        {
            using var inner = NewDisposeScope();
            if (anyMissing[d])
            {
                Tensor p = (a.sigmoid().matmul(outputWeight[d]) + visibleBias[d]).sigmoid();   // [N]
                x.select(1, d).copy_(where(missing.select(1, d), Bernoulli.Draw(p, generator), x.select(1, d)));
            }
            a.add_(x.select(1, d).unsqueeze(1) * weight.select(1, d).unsqueeze(0));
        }
        return x.view(images.shape).MoveToOuterDisposeScope();
    }

    /// <summary>Logits for a flat batch x [B, D] -> [B, D].</summary>
    private Tensor LogitsFlat(Tensor x)
    {
        long batch = x.shape[0];
        // (1) contributions W[:, d] x_d for every d: [B, D, H].
        Tensor contributions = x.unsqueeze(2) * weight.t().unsqueeze(0);
        // (2) a_d = c + sum_{d' < d} W[:, d'] x_d': the cumulative sum shifted by one place.
        Tensor cumulative = contributions.cumsum(1).narrow(1, 0, dimensions - 1);           // [B, D-1, H]
        Tensor shifted = cat([zeros(batch, 1, Options.Hidden, dtype: x.dtype, device: x.device), cumulative], 1);
        Tensor h = (shifted + hiddenBias).sigmoid();                                       // [B, D, H]
        // (3) logit_d = b_d + V_d . h_d.
        return (h * outputWeight.unsqueeze(0)).sum(-1) + visibleBias;                      // [B, D]
    }

    private void CheckBatch(Tensor x)
    {
        if (x.dim() != EventShape.Length + 1 || !x.shape.Skip(1).SequenceEqual(EventShape))
            throw new ArgumentException($"expected a batch [B, {string.Join(", ", EventShape)}]; got [{string.Join(", ", x.shape)}].");
    }
}
