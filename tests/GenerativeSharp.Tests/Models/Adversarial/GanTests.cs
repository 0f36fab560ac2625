using GenerativeSharp.Models.Adversarial;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Models.Adversarial;

public sealed class GanTests
{
    private static Gan Build(AdversarialOptions options)
    {
        lock (GenerativeSharp.Runtime.GlobalRandom.Lock)
        {
            manual_seed(31);
            return Gan.Create(options);
        }
    }

    [Theory]
    [InlineData(28)]
    [InlineData(32)]
    [InlineData(64)]
    public void Dcgan_networks_fit_images_of_side_28_32_and_64(int side)
    {
        using Gan gan = Build(new AdversarialOptions { EventShape = [1, side, side], Hidden = 8, Latent = 5, SpectralNorm = side == 32 });
        using var generator = new Generator(1);
        using Tensor samples = gan.Sample(3, generator);
        Assert.Equal(new long[] { 3, 1, side, side }, samples.shape);
        Assert.True(samples.min().item<float>() >= 0 && samples.max().item<float>() <= 1);
        using Tensor scores = gan.Critic(samples);
        Assert.Equal(new long[] { 3 }, scores.shape);
    }

    [Fact]
    public void Samples_repeat_with_the_seed_and_do_not_depend_on_the_batch()
    {
        using Gan gan = Build(new AdversarialOptions { EventShape = [1, 12, 12], Hidden = 8, Latent = 4 });
        using var g1 = new Generator(2);
        using var g2 = new Generator(2);
        using Tensor a = gan.Sample(6, g1), b = gan.Sample(6, g2);
        Assert.True(a.equal(b).all().item<bool>());
        using Tensor z = gan.Latents(6, new Generator(3));
        using Tensor all = gan.Decode(z), first = gan.Decode(z.narrow(0, 0, 1));
        Assert.True(all.narrow(0, 0, 1).allclose(first, atol: 1e-6));
    }

    [Fact]
    public void Conv_needs_square_images_with_a_side_divisible_by_4()
    {
        Assert.Throws<InvalidInputException>(() => new AdversarialOptions { EventShape = [1, 30, 30] }.Validate());
        Assert.Throws<InvalidInputException>(() => new AdversarialOptions { EventShape = [2] }.Validate());
        Assert.Throws<InvalidInputException>(() => new AdversarialOptions { EventShape = [1, 28, 28], GradientPenalty = 10 }.Validate());
    }

    [Fact]
    public void Inversion_finds_a_code_that_reproduces_a_generated_image()
    {
        using Gan gan = Build(new AdversarialOptions
        {
            EventShape = [1, 8, 8], Architecture = GanArchitecture.Mlp, Hidden = 32, Latent = 4, CriticNorm = CriticNormalization.None,
        });
        using Tensor z = gan.Latents(2, new Generator(4)) * 0.5;
        using Tensor x = gan.Decode(z);
        using Tensor found = gan.Encode(x);
        using Tensor back = gan.Decode(found);
        double error = (back - x).square().mean().item<float>();
        double spread = (x - x.mean()).square().mean().item<float>();
        Assert.True(error < 0.05 * spread + 1e-6, $"reconstruction error {error}, image variance {spread}");
    }
}
