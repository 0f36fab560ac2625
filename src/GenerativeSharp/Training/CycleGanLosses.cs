using static TorchSharp.torch;

namespace GenerativeSharp.Training;

/// <summary>
/// CycleGAN's loss terms (Zhu et al. 2017, section 3 and 4): the least-squares GAN losses (Mao et al., "Least
/// Squares Generative Adversarial Networks", ICCV 2017) on patch scores, and the L1 cycle-consistency and identity
/// terms as means over pixels in the networks' [-1, 1] scale (as in the authors' code).
/// </summary>
public static class CycleGanLosses
{
    /// <summary>D's least-squares loss: [(D(real) - 1)^2 + D(fake)^2] / 2, each a mean over all patches.</summary>
    public static Tensor Critic(Tensor real, Tensor fake)
    {
        using var scope = NewDisposeScope();
        return ((real - 1).square().mean() + fake.square().mean()).div(2).MoveToOuterDisposeScope();
    }

    /// <summary>The generator's least-squares loss: (D(G(x)) - 1)^2, a mean over all patches.</summary>
    public static Tensor Generator(Tensor fake)
    {
        using var scope = NewDisposeScope();
        return (fake - 1).square().mean().MoveToOuterDisposeScope();
    }

    /// <summary>The cycle-consistency (or identity) term: |reconstruction - original|_1, a mean over all elements.</summary>
    public static Tensor L1(Tensor reconstruction, Tensor original)
    {
        using var scope = NewDisposeScope();
        return (reconstruction - original).abs().mean().MoveToOuterDisposeScope();
    }
}
