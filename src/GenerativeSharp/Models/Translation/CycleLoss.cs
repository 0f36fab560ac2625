namespace GenerativeSharp.Models.Translation;

/// <summary>
/// Which cycle-consistency terms CycleGAN's generators minimise (Zhu et al. 2017, section 5.1.4, the ablation
/// of table 4): both cycles, only the forward one a -> G(a) -> F(G(a)) ~ a, only the backward one
/// b -> F(b) -> G(F(b)) ~ b, or none (the GAN losses alone).
/// </summary>
public enum CycleLoss
{
    Both,
    Forward,
    Backward,
    None,
}
