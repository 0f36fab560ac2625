using GenerativeSharp.Latent;
using GenerativeSharp.Models;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Latent;

public class AttributeVectorsTests
{
    private static readonly long[] Image = [1, SyntheticImages.Size, SyntheticImages.Size];

    [Fact]
    public void Class_means_are_the_float64_means_of_the_encoder_codes()
    {
        using var model = TestModels.Vae(Image, settings: [("hidden", "16"), ("latent", "3")]);
        var latent = (ILatentModel)model.Module;
        using var scope = NewDisposeScope();
        Tensor x = SyntheticImages.Make(40, 1);
        Tensor labels = arange(40, ScalarType.Int64) % 4;
        Tensor means = AttributeVectors.ClassMeans(latent, x, labels, 4, CPU, batch: 7);   // batches that cut the classes
        Tensor codes;
        using (no_grad()) codes = latent.Encode(x).to(ScalarType.Float64);
        for (int c = 0; c < 4; c++)
        {
            Tensor expected = codes.index_select(0, (labels == c).nonzero().flatten()).mean([0L]);
            Assert.True(means[c].to(ScalarType.Float64).allclose(expected, rtol: 1e-5, atol: 1e-6), $"class {c}");
        }
        Assert.Throws<InvalidInputException>(() => AttributeVectors.ClassMeans(latent, x, labels, 5, CPU));   // class 4 has no example
    }

    [Fact]
    public void A_walk_starts_at_the_reconstruction_and_ends_at_code_plus_vector()
    {
        using var model = TestModels.Vae(Image, settings: [("hidden", "16"), ("latent", "3")]);
        var latent = (ILatentModel)model.Module;
        using var scope = NewDisposeScope();
        Tensor x = SyntheticImages.Make(2, 5);
        Tensor vector = tensor(new float[] { 1f, -2f, 0.5f });
        Tensor walk = AttributeVectors.Walk(latent, x, vector, steps: 4);
        Assert.Equal([8L, .. Image], walk.shape);
        using var noGrad = no_grad();
        Tensor z = latent.Encode(x);
        Assert.True(walk.view(2, 4, -1)[.., 0].allclose(latent.Decode(z).flatten(1), atol: 1e-6));
        Assert.True(walk.view(2, 4, -1)[.., 3].allclose(latent.Decode(z + vector).flatten(1), atol: 1e-5));
    }
}
