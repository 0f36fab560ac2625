using GenerativeSharp.Models.Adversarial;
using static TorchSharp.torch;

namespace GenerativeSharp.Training;

/// <summary>
/// The players' losses for each <see cref="AdversarialLoss"/>, as means over the batch of scores [B].
/// With logits s, log D = -softplus(-s) and log(1 - D) = -softplus(s), which stays finite where a sigmoid
/// would round to 0 or 1.
/// </summary>
public static class AdversarialLosses
{
    /// <summary>The critic's loss on real scores and fake scores.</summary>
    public static Tensor Critic(AdversarialLoss loss, Tensor real, Tensor fake) => loss switch
    {
        // -[log D(x) + log(1 - D(G(z)))]
        AdversarialLoss.Minimax or AdversarialLoss.NonSaturating =>
            nn.functional.softplus(-real).mean() + nn.functional.softplus(fake).mean(),
        AdversarialLoss.Hinge => nn.functional.relu(1 - real).mean() + nn.functional.relu(1 + fake).mean(),
        AdversarialLoss.Wasserstein => fake.mean() - real.mean(),
        _ => throw new ArgumentOutOfRangeException(nameof(loss)),
    };

    /// <summary>The generator's loss on the fake scores.</summary>
    public static Tensor Generator(AdversarialLoss loss, Tensor fake) => loss switch
    {
        AdversarialLoss.Minimax => -nn.functional.softplus(fake).mean(),          // log(1 - D(G(z)))
        AdversarialLoss.NonSaturating => nn.functional.softplus(-fake).mean(),    // -log D(G(z))
        AdversarialLoss.Hinge or AdversarialLoss.Wasserstein => -fake.mean(),
        _ => throw new ArgumentOutOfRangeException(nameof(loss)),
    };
}
