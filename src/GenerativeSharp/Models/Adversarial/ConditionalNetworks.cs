using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenerativeSharp.Models.Adversarial;

/// <summary>A critic split at its penultimate layer, so a projection discriminator can reuse its features.</summary>
internal interface IFeatureCritic
{
    /// <summary>Length F of the penultimate vector.</summary>
    long FeatureSize { get; }

    /// <summary>phi(x): [B, ...event] -> [B, F].</summary>
    Tensor Features(Tensor x);

    /// <summary>psi(phi): the unconditional score, [B, F] -> [B].</summary>
    Tensor Head(Tensor features);
}

/// <summary>
/// A class-conditional generator (Mirza and Osindero, "Conditional Generative Adversarial Nets", 2014,
/// arXiv:1411.1784): a learned class embedding e(y) of size Latent is concatenated to z and the
/// unconditional MLP or DCGAN generator maps [z, e(y)] to an example.
/// </summary>
internal sealed class ConditionalGenerator : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding embedding;
    private readonly nn.Module<Tensor, Tensor> network;

    public ConditionalGenerator(AdversarialOptions options) : base(nameof(ConditionalGenerator))
    {
        embedding = nn.Embedding(options.Classes, options.Latent);
        AdversarialOptions widened = options with { Latent = 2 * options.Latent };
        network = options.Architecture == GanArchitecture.Conv ? new DcganGenerator(widened) : new MlpGenerator(widened);
        RegisterComponents();
    }

    public override Tensor forward(Tensor z, Tensor labels)
    {
        using var scope = NewDisposeScope();
        Tensor input = cat([z, embedding.forward(labels)], 1);                 // [B, L] ++ [B, L] -> [B, 2L]
        return network.forward(input).MoveToOuterDisposeScope();
    }

    /// <summary>G(z, sum_c w_c e(c)): the class input is a mixture of embeddings, weights [B, Classes].</summary>
    public Tensor ForwardMixed(Tensor z, Tensor classWeights)
    {
        using var scope = NewDisposeScope();
        Tensor input = cat([z, classWeights.matmul(embedding.weight!)], 1);    // [B, L] ++ [B, C] x [C, L] -> [B, 2L]
        return network.forward(input).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// The projection discriminator of Miyato and Koyama, "cGANs with Projection Discriminator", ICLR 2018
/// (arXiv:1802.05637): D(x, y) = psi(phi(x)) + &lt;e_D(y), phi(x)&gt;, where phi is the penultimate vector of
/// the unconditional MLP or DCGAN critic, psi its output layer and e_D a learned class embedding.
/// </summary>
internal sealed class ProjectionCritic : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> network;
    private readonly Embedding embedding;

    public ProjectionCritic(AdversarialOptions options) : base(nameof(ProjectionCritic))
    {
        network = options.Architecture == GanArchitecture.Conv ? new DcganCritic(options) : new MlpCritic(options);
        var features = (IFeatureCritic)network;
        embedding = nn.Embedding(options.Classes, features.FeatureSize);
        RegisterComponents();
        using (no_grad()) embedding.weight!.mul_(0.1);                        // start close to the unconditional critic
    }

    public override Tensor forward(Tensor x, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var critic = (IFeatureCritic)network;
        Tensor phi = critic.Features(x);                                         // [B, F]
        Tensor projection = (embedding.forward(labels) * phi).sum(1);           // [B, F] . [B, F] -> [B]
        return (critic.Head(phi) + projection).MoveToOuterDisposeScope();        // [B]
    }
}
