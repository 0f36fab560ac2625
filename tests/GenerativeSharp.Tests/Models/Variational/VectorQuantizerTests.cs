using GenerativeSharp.Models.Variational;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Models.Variational;

public sealed class VectorQuantizerTests
{
    [Fact]
    public void The_straight_through_estimator_passes_the_decoder_gradient_to_the_encoder_output_unchanged()
    {
        using var scope = NewDisposeScope();
        Tensor encoded = tensor(new float[] { 0.3f, -1.2f, 2.0f, 0.5f }).view(2, 2).requires_grad_(true);
        Tensor quantized = tensor(new float[] { 0.0f, -1.0f, 2.5f, 1.0f }).view(2, 2);
        Tensor passed = VectorQuantizer.StraightThrough(encoded, quantized);
        Assert.True(passed.detach().equal(quantized).all().item<bool>());          // the forward value is the code
        Tensor upstream = tensor(new float[] { 1.5f, -2.0f, 0.25f, 3.0f }).view(2, 2);
        (passed * upstream).sum().backward();                                  // a "decoder" whose gradient is upstream
        Assert.True(encoded.grad!.equal(upstream).all().item<bool>());
    }

    [Fact]
    public void The_ema_update_moves_each_code_to_the_smoothed_mean_of_its_assigned_vectors()
    {
        using var scope = NewDisposeScope();
        const double decay = 0.9, eps = 1e-5;
        using var quantizer = new VectorQuantizer(codes: 3, dimension: 2, decay, eps, deadAfter: 100, revive: false);
        double[,] e0 = new double[3, 2];
        float[] start = quantizer.Codebook.data<float>().ToArray();
        for (int i = 0; i < 3; i++) for (int d = 0; d < 2; d++) e0[i, d] = start[i * 2 + d];
        double[][] z = [[1.0, 2.0], [3.0, 4.0], [-1.0, 0.5]];
        long[] assigned = [0, 0, 2];                                           // code 1 unused
        Tensor flat = tensor(z.SelectMany(r => r.Select(v => (float)v)).ToArray()).view(3, 2);
        quantizer.Update(flat, tensor(assigned), null);

        // By hand, float64: N_i = 0.9 * 1 + 0.1 n_i, m_i = 0.9 e_i + 0.1 sum; e_i = m_i / ((N_i + eps) / (n + K eps) n).
        double[] counts = [2, 0, 1];
        double[] n = counts.Select(c => decay * 1 + (1 - decay) * c).ToArray();
        double total = n.Sum();
        float[] actual = quantizer.Codebook.data<float>().ToArray();
        for (int i = 0; i < 3; i++)
        {
            double smoothed = (n[i] + eps) / (total + 3 * eps) * total;
            for (int d = 0; d < 2; d++)
            {
                double sum = Enumerable.Range(0, 3).Where(j => assigned[j] == i).Sum(j => z[j][d]);
                double expected = (decay * e0[i, d] + (1 - decay) * sum) / smoothed;
                Assert.Equal(expected, actual[i * 2 + d], 5);
            }
        }
        Assert.Equal(n.Select(v => (float)v), quantizer.ClusterSize.data<float>().ToArray());
    }

    [Fact]
    public void Repeated_updates_converge_to_the_mean_of_the_assigned_vectors()
    {
        using var scope = NewDisposeScope();
        using var quantizer = new VectorQuantizer(codes: 2, dimension: 1, decay: 0.5, epsilon: 1e-5, deadAfter: 1000, revive: false);
        Tensor flat = tensor(new float[] { 1, 3, 10 }).view(3, 1);
        for (int i = 0; i < 60; i++) quantizer.Update(flat, tensor(new long[] { 0, 0, 1 }), null);
        float[] codes = quantizer.Codebook.data<float>().ToArray();
        Assert.Equal(2.0, codes[0], 3);                                      // mean of 1 and 3 (smoothing ~1e-5)
        Assert.Equal(10.0, codes[1], 3);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Dead_codes_are_counted_after_dead_after_unused_steps_and_revived_to_batch_vectors_when_asked(bool revive)
    {
        using var scope = NewDisposeScope();
        using var quantizer = new VectorQuantizer(codes: 4, dimension: 2, decay: 0.99, epsilon: 1e-5, deadAfter: 3, revive);
        Tensor flat = tensor(new float[] { 5, 5, 6, 6 }).view(2, 2);
        Tensor indices = tensor(new long[] { 0, 1 });                          // codes 2 and 3 unused
        Assert.Equal((0L, 0L), quantizer.Update(flat, indices, null));
        Assert.Equal((0L, 0L), quantizer.Update(flat, indices, null));
        using var generator = new Generator(3);
        Assert.Equal((2L, revive ? 2L : 0L), quantizer.Update(flat, indices, generator));
        float[] codes = quantizer.Codebook.data<float>().ToArray();
        for (int code = 2; code < 4; code++)
        {
            bool isBatchRow = (codes[code * 2] == 5 && codes[code * 2 + 1] == 5) || (codes[code * 2] == 6 && codes[code * 2 + 1] == 6);
            Assert.Equal(revive, isBatchRow);
        }
        Assert.Equal((revive ? 0L : 2L, 0L), revive ? quantizer.Update(flat, indices, generator) : (quantizer.Update(flat, indices, generator).Dead, 0L));
    }

    [Theory]
    [InlineData(8, 8)]
    [InlineData(8, 3)]
    [InlineData(128, 1)]
    public void The_perplexity_of_a_uniform_assignment_to_k_codes_is_k(int codes, int used)
    {
        using var scope = NewDisposeScope();
        Tensor indices = arange(used * 5, ScalarType.Int64) % used;           // each of the first `used` codes 5 times
        Assert.Equal(used, VectorQuantizer.Perplexity(indices, codes).item<float>(), 4);
    }
}
