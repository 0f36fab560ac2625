using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Recipes;
using GenerativeSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Models.Autoregressive;

/// <summary>
/// The end-to-end check the fully visible models share: a few steps of the recipe's own training
/// step on synthetic binary images must cut the exact test NLL below a fraction of where it started.
/// </summary>
internal static class DensityTrainingCheck
{
    public static void LowersTestNll(ModelInstance model, double learningRate, int steps, double fraction)
    {
        var density = (IDensityModel)model.Module;
        ITrainingStep step = model.Recipe.CreateStep(model.Module, learningRate);
        using var generator = new Generator(9);
        using var train = SyntheticImages.Make(256, 1).bernoulli(generator);
        using var test = SyntheticImages.Make(64, 2).bernoulli(generator);
        double Evaluate() { using var _ = no_grad(); return -density.LogProb(test).mean().item<float>(); }
        double before = Evaluate();
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            step.Step(new Batch(train.narrow(0, i % 8 * 32, 32)), generator);
        }
        double after = Evaluate();
        Assert.True(after < before * fraction, $"{model.Recipe.Info.Name}: test NLL should fall below {fraction} x {before}, got {after}");
    }
}
