using static TorchSharp.torch;

namespace GenerativeSharp.Models.Diffusion;

/// <summary>
/// Classifier-free guidance (Ho and Salimans, "Classifier-Free Diffusion Guidance", 2022, arXiv:2207.12598, eq. 6): one
/// network trained on labels sometimes replaced by the null class predicts both eps(x, t, c) and eps(x, t, null), and the
/// sampler uses eps~ = (1 + w) eps(x, t, c) - w eps(x, t, null) at every step. w = 0 is the plain conditional model; larger
/// w trades variety for samples more typical of the class.
/// </summary>
public static class ClassifierFreeGuidance
{
    /// <summary>(1 + w) conditional - w unconditional, elementwise on two [B, ...] predictions.</summary>
    public static Tensor Combine(Tensor conditional, Tensor unconditional, double weight) =>
        weight == 0 ? conditional.alias() : (1 + weight) * conditional - weight * unconditional;

    /// <summary>
    /// The guided predictor for a fixed context (labels [B] or class weights [B, N]): <paramref name="network"/> is
    /// eps(x_t, t, context), a null context meaning the null class. With w = 0 it asks the network once per step, else
    /// twice (conditional and null).
    /// </summary>
    public static NoisePredictor Predictor(Func<Tensor, Tensor, Tensor?, Tensor> network, Tensor context, double weight)
    {
        if (!(weight >= 0) || double.IsInfinity(weight)) throw new InvalidInputException($"--guidance {weight}: expected a number >= 0.");
        if (weight == 0) return (xt, t) => network(xt, t, context);
        return (xt, t) =>
        {
            using var scope = NewDisposeScope();
            Tensor conditional = network(xt, t, context);
            Tensor unconditional = network(xt, t, null);
            return Combine(conditional, unconditional, weight).MoveToOuterDisposeScope();
        };
    }
}
