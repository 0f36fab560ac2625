using GenerativeSharp.Data;
using GenerativeSharp.Evaluation;
using GenerativeSharp.Imaging;
using GenerativeSharp.Recipes;
using GenerativeSharp.Runs;
using GenerativeSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Tests.Docs;

/// <summary>
/// The C# example of docs/library.md, compiled and run by <see cref="LibraryExampleTests"/> so that the
/// page cannot rot: the text between the example markers must appear verbatim in the page.
/// </summary>
internal static class LibraryExample
{
    public static EvaluationReport Run(string imageFolder, string runDirectory)
    {
        // <example>
        // 1. A folder of PNG or JPEG images (one sub-folder per class, train/ and test/), resized to 16 x 16.
        using DataSplits data = DataCatalog.Load(imageFolder, new DataOptions { ImageSize = 16 });
        Console.WriteLine($"{data.Train.Count} training images: {data.Description.Summary}");

        // 2. A model from its recipe: defaults chosen for the data, then any --set style overrides.
        IModelRecipe recipe = ModelCatalog.Get("vae");
        string options = recipe.ConfigureOptions(data.Description, new Dictionary<string, string> { ["latent"] = "8" });
        using ModelInstance model = ModelInstance.Create(recipe, options, seed: 0, CPU);

        // 3. Training: the recipe's step, run by the Trainer, which writes checkpoint.safetensors,
        //    metrics.jsonl and samples.png into the run directory at every epoch end.
        int batchSize = 16;
        long stepsPerEpoch = (data.Train.Count + batchSize - 1) / batchSize;
        var state = new TrainingState(imageFolder, BinarizationMode.None, Seed: 0, batchSize, LearningRate: 1e-3,
            stepsPerEpoch, TotalSteps: 3 * stepsPerEpoch, Step: 0, ImageSize: 16);
        ITrainingStep step = recipe.CreateStep(model.Module, state.LearningRate);
        using var generator = new Generator(0);
        var trainer = new Trainer(new TrainerOptions { OutputDirectory = runDirectory, Progress = ProgressMode.None });
        TrainingResult result = trainer.Run(model, step, data, state, generator, CPU, CancellationToken.None);
        Console.WriteLine($"trained {result.State.Step} steps");

        // 4. Loading the saved run and sampling from it.
        using LoadedCheckpoint saved = Checkpoint.Load(runDirectory, CPU);
        using ModelInstance trained = saved.Model;
        using (NewDisposeScope())
        {
            Tensor samples = trained.Model.Sample(16, new Generator(42));       // [16, 3, 16, 16] in [0, 1]
            ImageGrid.Write(Path.Combine(runDirectory, "my-samples.png"), samples, columns: 4);
        }

        // 5. Evaluating it: the likelihood labelled exact, bound or estimate (here an importance-sampled estimate).
        EvaluationReport report = RunEvaluation.Evaluate(
            new EvaluationRequest { Directory = runDirectory, ImportanceSamples = 10, Progress = ProgressMode.None }, Console.Error);
        Console.WriteLine($"test NLL {report.NllNats:F1} nats ({report.NllKind}), {report.BitsPerDim:F3} bits/dim");
        // </example>
        (step as IDisposable)?.Dispose();
        return report;
    }
}
