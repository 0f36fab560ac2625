using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Bijectors;

/// <summary>
/// The MADE network of a masked autoregressive flow (Germain et al. 2015, "MADE", arXiv:1502.03509;
/// Papamakarios et al. 2017, "Masked Autoregressive Flow", arXiv:1705.07057, section 3.1): an MLP
/// [B, D] -> [B, k, D] whose masks let output (j, i) see only inputs before i in the natural order.
/// Degrees: inputs 1..D, hidden units cycle through 1..D-1, a hidden unit sees inputs of degree
/// &lt;= its own, output i (degree i) sees hidden units of degree &lt; i. The last layer starts at
/// zero (the transform starts as the identity). Not the binary-image MADE model: that one gives one
/// Bernoulli logit per pixel and random connectivity; this gives k real parameters per dimension.
/// </summary>
public sealed class MadeConditioner : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.ModuleList<MaskedLinear> layers;
    private readonly long dimensions;
    private readonly int outputsPerInput;

    public MadeConditioner(long dimensions, int hidden, int depth, int outputsPerInput) : base(nameof(MadeConditioner))
    {
        if (dimensions < 2) throw new ArgumentException($"an autoregressive conditioner needs at least 2 dimensions; got {dimensions}.");
        this.dimensions = dimensions;
        this.outputsPerInput = outputsPerInput;
        int d = checked((int)dimensions);
        int[] input = Enumerable.Range(1, d).ToArray();
        int[] previous = input;
        layers = new TorchSharp.Modules.ModuleList<MaskedLinear>();
        for (int l = 0; l < depth; l++)
        {
            int[] degree = Enumerable.Range(0, hidden).Select(k => k % (d - 1) + 1).ToArray();
            layers.Add(new MaskedLinear(Mask(degree, previous, strict: false), zeroInit: false));
            previous = degree;
        }
        int[] output = Enumerable.Range(0, outputsPerInput).SelectMany(_ => input).ToArray();   // [k D]: parameter j of dim i at j D + i
        layers.Add(new MaskedLinear(Mask(output, previous, strict: true), zeroInit: true));
        RegisterComponents();
    }

    /// <summary>[B, D] -> [B, k, D]: parameter j of dimension i depends only on x_&lt;i.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor h = x;
        for (int l = 0; l < layers.Count; l++)
        {
            h = layers[l].call(h);
            if (l < layers.Count - 1) h = nn.functional.relu(h);
        }
        return h.view(x.shape[0], outputsPerInput, dimensions).MoveToOuterDisposeScope();
    }

    /// <summary>mask[k, j] = 1 when unit k (degree <paramref name="to"/>[k]) may see unit j.</summary>
    private static Tensor Mask(int[] to, int[] from, bool strict)
    {
        var values = new float[to.Length * from.Length];
        for (int k = 0; k < to.Length; k++)
            for (int j = 0; j < from.Length; j++)
                values[k * from.Length + j] = (strict ? to[k] > from[j] : to[k] >= from[j]) ? 1f : 0f;
        return tensor(values, new long[] { to.Length, from.Length });
    }

    /// <summary>A linear layer whose weight is multiplied by a fixed binary mask.</summary>
    private sealed class MaskedLinear : nn.Module<Tensor, Tensor>
    {
        private readonly Parameter weight;   // [out, in]
        private readonly Parameter bias;     // [out]
        private readonly Tensor mask;        // [out, in]

        public MaskedLinear(Tensor mask, bool zeroInit) : base(nameof(MaskedLinear))
        {
            long outputs = mask.shape[0], inputs = mask.shape[1];
            double bound = zeroInit ? 0 : 1.0 / Math.Sqrt(inputs);          // nn.Linear's default init
            weight = nn.Parameter((rand(outputs, inputs) * 2 - 1) * bound);
            bias = nn.Parameter((rand(outputs) * 2 - 1) * bound);
            this.mask = mask;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            return nn.functional.linear(x, weight * mask, bias).MoveToOuterDisposeScope();
        }
    }
}
