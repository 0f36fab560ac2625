using GenerativeSharp.Models.Diffusion;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Models.Diffusion;

public sealed class ClassifierFreeGuidanceTests
{
    private const int NullClass = 3;

    /// <summary>A stub eps(x, t, c): x * (1 + c) + t, with c the label (the null class when no context is given).</summary>
    private static Tensor Stub(Tensor xt, Tensor t, Tensor? context)
    {
        Tensor c = (context ?? full([xt.shape[0]], NullClass, ScalarType.Int64)).to(ScalarType.Float32).unsqueeze(1);   // [B, 1]
        return xt * (1 + c) + t.to(ScalarType.Float32).unsqueeze(1);
    }

    [Fact]
    public void Combine_is_one_plus_w_conditional_minus_w_unconditional()
    {
        using var c = tensor(new[] { 1f, 2f });
        using var u = tensor(new[] { 3f, -1f });
        using var guided = ClassifierFreeGuidance.Combine(c, u, 2);
        Assert.Equal(new[] { 3 * 1f - 2 * 3f, 3 * 2f + 2 * 1f }, guided.data<float>().ToArray());
    }

    [Fact]
    public void With_w_zero_it_is_the_conditional_prediction()
    {
        using var scope = NewDisposeScope();
        Tensor x = randn([5, 2], generator: new TorchSharp.torch.Generator(1));
        Tensor t = arange(5, ScalarType.Int64);
        Tensor labels = tensor(new long[] { 0, 1, 2, 0, 1 });
        Tensor guided = ClassifierFreeGuidance.Predictor(Stub, labels, 0)(x, t);
        Assert.True(guided.equal(Stub(x, t, labels)).all().item<bool>());
    }

    [Fact]
    public void With_the_null_class_everywhere_it_is_the_unconditional_prediction_whatever_w()
    {
        using var scope = NewDisposeScope();
        Tensor x = randn([4, 2], generator: new TorchSharp.torch.Generator(2));
        Tensor t = arange(4, ScalarType.Int64);
        Tensor nulls = full([4], NullClass, ScalarType.Int64);
        foreach (double w in new[] { 0.0, 1.0, 3.5 })
        {
            Tensor guided = ClassifierFreeGuidance.Predictor(Stub, nulls, w)(x, t);
            Assert.True(guided.allclose(Stub(x, t, null), rtol: 1e-5, atol: 1e-5), $"w = {w}");
        }
    }

    [Fact]
    public void With_w_positive_it_moves_away_from_the_unconditional_prediction()
    {
        using var scope = NewDisposeScope();
        Tensor x = ones([1, 2]);
        Tensor t = zeros([1], ScalarType.Int64);
        Tensor guided = ClassifierFreeGuidance.Predictor(Stub, tensor(new long[] { 1 }), 0.5)(x, t);   // c: 2 x, null: 4 x
        Assert.Equal(new[] { 1.5f * 2 - 0.5f * 4, 1.5f * 2 - 0.5f * 4 }, guided.data<float>().ToArray());
        Assert.Throws<InvalidInputException>(() => ClassifierFreeGuidance.Predictor(Stub, tensor(new long[] { 1 }), -1));
    }
}
