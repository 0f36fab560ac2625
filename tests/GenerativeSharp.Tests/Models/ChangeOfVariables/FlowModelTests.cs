using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.ChangeOfVariables;
using GenerativeSharp.Recipes;
using GenerativeSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Models.ChangeOfVariables;

public sealed class FlowModelTests
{
    private static readonly long[] Image = [1, 8, 8];

    private static ModelInstance Build(string name, long[] shape, params (string Key, string Value)[] settings)
    {
        IModelRecipe recipe = ModelCatalog.Get(name);
        string options = recipe.ConfigureOptions(DataDescription.FromShape(shape), Applicable(name, shape, settings));
        return ModelInstance.Create(recipe, options, 0, CPU);
    }

    /// <summary>
    /// The shared small settings less the keys this model would ignore (and so refuses): depth on the
    /// multi-scale image models, coupling=affine on NICE and MAF, spline keys on affine couplings.
    /// </summary>
    private static Dictionary<string, string> Applicable(string name, long[] shape, (string Key, string Value)[] settings)
    {
        bool multiScale = name is "realnvp" or "glow";
        bool spline = settings.Any(s => s is ("coupling", "spline"));
        return settings
            .Where(s => !(s.Key == "depth" && multiScale && shape.Length == 3))
            .Where(s => !(s is ("coupling", "affine") && !multiScale))
            .Where(s => !(s.Key is "bins" or "tail_bound" && !spline))
            .ToDictionary(s => s.Key, s => s.Value);
    }

    private static readonly (string, string)[] SmallPoints = [("layers", "4"), ("hidden", "16")];
    private static readonly (string, string)[] SmallImages = [("layers", "2"), ("hidden", "8"), ("depth", "1")];

    /// <summary>8-bit images k/255 from the synthetic set.</summary>
    private static Tensor EightBit(int count, long seed)
    {
        using var scope = NewDisposeScope();
        return (SyntheticImages.Make(count, seed).narrow(2, 0, 8).narrow(3, 0, 8) * 255).round().div(255).MoveToOuterDisposeScope();
    }

    private static void Perturb(nn.Module module, ulong seed)
    {
        using var generator = new Generator(seed);
        using var noGrad = no_grad();
        foreach (var p in module.parameters())
            p.add_(randn(p.shape, dtype: p.dtype, generator: generator) * 0.2);
    }

    [Theory]
    [InlineData("realnvp")]
    [InlineData("maf")]
    [InlineData("nice")]
    [InlineData("glow")]
    [InlineData("realnvp", "spline")]
    [InlineData("glow", "spline")]
    public void Two_dimensional_density_integrates_to_one(string name, string coupling = "affine")
    {
        using var model = Build(name, [2], [.. SmallPoints, ("coupling", coupling), ("tail_bound", "3")]);
        model.Module.to(ScalarType.Float64).eval();
        Perturb(model.Module, 7);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        const int n = 321;
        const double half = 8;
        double h = 2 * half / (n - 1);
        Tensor axis = linspace(-half, half, n, dtype: ScalarType.Float64);
        Tensor[] grid = meshgrid([axis, axis], indexing: "ij");
        Tensor points = stack([grid[0].flatten(), grid[1].flatten()], 1);   // [n^2, 2]
        double total = ((IDensityModel)model.Module).LogProb(points).exp().sum().item<double>() * h * h;
        Assert.True(Math.Abs(total - 1) < 1e-2, $"{name}: integral of p over the grid is {total}");
    }

    [Theory]
    [InlineData("realnvp")]
    [InlineData("glow")]
    [InlineData("nice")]
    [InlineData("maf")]
    [InlineData("realnvp", "spline")]
    [InlineData("glow", "spline")]
    public void Images_encode_to_latents_and_decode_back_exactly(string name, string coupling = "affine")
    {
        using var model = Build(name, Image, [.. SmallImages, ("coupling", coupling)]);
        // Randomly perturbed splines have bins 1,000 times flatter than others, and a stack of them
        // multiplies float32 rounding past a quantization step on the way back: check them in float64.
        ScalarType dtype = coupling == "spline" ? ScalarType.Float64 : ScalarType.Float32;
        model.Module.to(dtype);
        Perturb(model.Module, 3);
        model.Module.eval();
        var latent = (ILatentModel)model.Module;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor x = (EightBit(4, 1).to(dtype) * 255).round() / 255;
        Tensor z = latent.Encode(x);
        Assert.Equal([4, .. latent.LatentShape], z.shape);
        Assert.Equal(64, latent.LatentShape.Aggregate(1L, (a, b) => a * b));
        Tensor back = latent.Decode(z);
        Assert.True(back.equal(x).all().item<bool>(), $"{name}: Decode(Encode(x)) differs from x in {back.ne(x).sum().item<long>()} of {x.numel()} pixels, by up to {(back - x).abs().max().ToDouble() * 255} levels");
    }

    [Theory]
    [InlineData("realnvp")]
    [InlineData("glow")]
    public void Dequantized_nll_is_reproducible_and_training_lowers_it(string name)
    {
        using var model = Build(name, Image, SmallImages);
        var density = (IDensityModel)model.Module;
        ITrainingStep step = model.Recipe.CreateStep(model.Module, 5e-3);
        using var generator = new Generator(9);
        using var train = EightBit(64, 1);
        using var test = EightBit(32, 2);
        double Evaluate() { using var _ = no_grad(); model.Module.eval(); double v = -density.LogProb(test).mean().item<float>(); model.Module.train(); return v; }
        model.Module.train();
        using (NewDisposeScope()) step.Step(new Batch(train.narrow(0, 0, 32)), generator);   // ActNorm initialises here
        double before = Evaluate();
        Assert.Equal(before, Evaluate());
        for (int i = 0; i < 30; i++)
            using (NewDisposeScope()) step.Step(new Batch(train.narrow(0, i % 2 * 32, 32)), generator);
        double after = Evaluate();
        Assert.True(after < before, $"{name}: test NLL should fall below {before}, got {after}");
        // bits/dim of a dequantized model carries the +8 of ln 256 per dimension: it is positive.
        Assert.True(after / (64 * Math.Log(2)) > 0);
    }

    [Theory]
    [InlineData("glow", true)]
    [InlineData("maf", false)]
    public void Save_then_load_gives_identical_log_probabilities_and_samples(string name, bool images)
    {
        using var directory = new TempDirectory();
        long[] shape = images ? Image : [2];
        using var model = Build(name, shape, images ? SmallImages : SmallPoints);
        ITrainingStep step = model.Recipe.CreateStep(model.Module, 1e-2);
        using var generator = new Generator(2);
        using var x = images ? EightBit(8, 4) : randn([8, 2], generator: generator);
        model.Module.train();
        for (int i = 0; i < 2; i++)
            using (NewDisposeScope()) step.Step(new Batch(x), generator);
        var state = new TrainingState("synthetic", BinarizationMode.None, 0, 8, 1e-2, 2, 16, 2);
        Checkpoint.Save(directory.Path, model, state, step, generator: null);
        using LoadedCheckpoint loaded = Checkpoint.Load(directory.Path, CPU);
        using var rebuilt = loaded.Model;
        model.Module.eval();
        rebuilt.Module.eval();
        using (no_grad())
        using (NewDisposeScope())
        {
            Assert.True(((IDensityModel)model.Module).LogProb(x).equal(((IDensityModel)rebuilt.Module).LogProb(x)).all().item<bool>());
            using var g1 = new Generator(5);
            using var g2 = new Generator(5);
            Assert.True(model.Model.Sample(3, g1).equal(rebuilt.Model.Sample(3, g2)).all().item<bool>());
        }
        // Resume: the rebuilt step continues from the saved optimizer state exactly as the original.
        ITrainingStep resumed = rebuilt.Recipe.CreateStep(rebuilt.Module, 1e-2);
        resumed.LoadState(loaded.TrainerState);
        model.Module.train();
        rebuilt.Module.train();
        using var g3 = new Generator(6);
        using var g4 = new Generator(6);
        double a, b;
        using (NewDisposeScope()) a = step.Step(new Batch(x), g3)["loss"];
        using (NewDisposeScope()) b = resumed.Step(new Batch(x), g4)["loss"];
        Assert.Equal(a, b);
        using (NewDisposeScope()) a = step.Step(new Batch(x), g3)["loss"];
        using (NewDisposeScope()) b = resumed.Step(new Batch(x), g4)["loss"];
        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData("glow", true)]
    [InlineData("realnvp", false)]
    [InlineData("maf", true)]
    [InlineData("nice", false)]
    [InlineData("realnvp", false, "spline")]
    [InlineData("glow", true, "spline")]
    public void A_training_step_and_sampling_leave_no_live_tensors(string name, bool images, string coupling = "affine")
    {
        long[] shape = images ? Image : [2];
        using var model = Build(name, shape, [.. images ? SmallImages : SmallPoints, ("coupling", coupling)]);
        ITrainingStep step = model.Recipe.CreateStep(model.Module, 1e-3);
        using var generator = new Generator(1);
        using var batch = images ? EightBit(16, 1) : randn([16, 2], generator: generator);
        model.Module.train();
        using (NewDisposeScope()) step.Step(new Batch(batch), generator);
        DisposeScopeManager.Statistics.Reset();
        using (NewDisposeScope()) step.Step(new Batch(batch), generator);
        using (NewDisposeScope()) model.Model.Sample(2, generator);
        using (NewDisposeScope()) ((IDensityModel)model.Module).LogProb(batch);
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Glow_samples_at_a_temperature_reproducibly_and_lower_temperature_shrinks_the_spread()
    {
        using var model = Build("glow", [2], SmallPoints);
        var sampler = (ITemperedSampler)model.Module;
        using var scope = NewDisposeScope();
        using var g1 = new Generator(8);
        using var g2 = new Generator(8);
        using var g3 = new Generator(8);
        Tensor hot = sampler.Sample(500, 1.0, g1);
        Assert.True(hot.equal(sampler.Sample(500, 1.0, g2)).all().item<bool>());
        Tensor cold = sampler.Sample(500, 0.5, g3);
        Assert.True(cold.std().item<float>() < hot.std().item<float>());
    }

    [Theory]
    [InlineData("nice")]
    [InlineData("maf")]
    public void Spline_couplings_are_refused_where_a_model_has_no_affine_coupling(string name)
    {
        var e = Assert.Throws<InvalidInputException>(() => Build(name, [2], ("coupling", "spline")));
        Assert.Contains("--set coupling", e.Message);
    }

    [Fact]
    public void Levels_that_do_not_divide_the_image_are_refused()
    {
        var e = Assert.Throws<InvalidInputException>(() =>
            ModelCatalog.Get("glow").ConfigureOptions(DataDescription.FromShape([1, 28, 28]), new Dictionary<string, string> { ["levels"] = "3" }));
        Assert.Contains("levels", e.Message);
    }
}
