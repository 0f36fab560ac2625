using GenerativeSharp.Data;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Data;

public sealed class BinarizationTests
{
    [Fact]
    public void Sample_gives_0_or_1_with_the_intensity_as_mean()
    {
        using var scope = NewDisposeScope();
        Tensor p = cat([full(50_000, 0.3f), zeros(100), ones(100)]).reshape(-1, 1, 2, 2); // [N, 1, 2, 2]
        using var g = new Generator(1);

        Tensor bits = Binarization.Sample(p, g);

        Assert.Equal(p.shape, bits.shape);
        Assert.Equal(ScalarType.Float32, bits.dtype);
        Assert.True(bits.eq(0).logical_or(bits.eq(1)).all().item<bool>());
        Tensor flat = bits.flatten();
        Assert.InRange(flat[..50_000].mean().item<float>(), 0.29, 0.31);
        Assert.Equal(0f, flat[50_000..50_100].sum().item<float>());
        Assert.Equal(100f, flat[50_100..].sum().item<float>());
    }

    [Fact]
    public void Static_is_the_same_every_time_and_uses_the_static_seed()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(5);
        Tensor p = rand([64, 1, 4, 4], generator: g);

        Tensor a = Binarization.Static(p);
        Tensor b = Binarization.Static(p);
        using var seeded = new Generator((ulong)Binarization.StaticSeed);
        Tensor c = Binarization.Sample(p, seeded);

        Assert.True(a.equal(b).all().item<bool>());
        Assert.True(a.equal(c).all().item<bool>());
    }

    [Fact]
    public void Dynamic_draws_differ_between_epochs()
    {
        using var scope = NewDisposeScope();
        Tensor p = full([1000], 0.5f);
        using var g = new Generator(9);

        Assert.False(Binarization.Sample(p, g).equal(Binarization.Sample(p, g)).all().item<bool>());
    }

    [Fact]
    public void Intensities_outside_unit_interval_are_rejected()
    {
        using var g = new Generator(1);
        using Tensor p = tensor(new[] { 0.5f, 1.5f });
        Assert.Throws<ArgumentException>(() => Binarization.Sample(p, g));
    }

    [Theory]
    [InlineData("none", BinarizationMode.None)]
    [InlineData("Dynamic", BinarizationMode.Dynamic)]
    [InlineData(" static ", BinarizationMode.Static)]
    public void Parse_accepts_the_three_modes(string text, BinarizationMode mode) =>
        Assert.Equal(mode, Binarization.Parse(text));

    [Fact]
    public void Parse_rejects_anything_else_with_the_valid_names()
    {
        var e = Assert.Throws<InvalidInputException>(() => Binarization.Parse("sometimes"));
        Assert.Equal("unknown binarization 'sometimes': expected none, dynamic or static", e.Message);
    }
}
