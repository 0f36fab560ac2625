using System.CommandLine;
using GenerativeSharp.Data;
using GenerativeSharp.Models;
using GenerativeSharp.Models.Diffusion;
using GenerativeSharp.Models.Diffusion.Samplers;
using GenerativeSharp.Runtime;
using GenerativeSharp.Training;
using TorchSharp;

namespace GenerativeSharp.Cli.Commands;

/// <summary><c>gensharp sample DIR</c>: draws from a trained model; needs nothing but DIR.</summary>
internal static class SampleCommand
{
    public static Command Create(CliContext context)
    {
        var directory = new Argument<string>("DIR") { Description = "a run directory written by 'gensharp train'" };
        var count = new Option<int>("--count") { Description = "how many samples", DefaultValueFactory = _ => 64 };
        var output = new Option<string?>("--out") { Description = "PNG file (default DIR/samples-seed-S.png)" };
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var label = new Option<int?>("--label") { Description = "for a class-conditional model: draw every sample from this class" };
        var temperature = new Option<double>("--temperature")
        {
            Description = "latent temperature T (flows: the base noise is scaled by T; T < 1 gives cleaner, less varied samples)",
            DefaultValueFactory = _ => 1.0,
        };
        var sampler = new Option<string?>("--sampler") { Description = "diffusion models: ddpm (ancestral, all T steps) or ddim (default, 50 steps, eta 0)" };
        var steps = new Option<int?>("--steps") { Description = "diffusion models: DDIM steps S (default 50)" };
        var eta = new Option<double?>("--eta") { Description = "diffusion models: DDIM noise eta (0 deterministic, 1 ancestral-like; default 0)" };
        var guidance = new Option<double?>("--guidance")
        {
            Description = "class-conditional diffusion models, with --label: classifier-free guidance weight w >= 0 (default 0, the plain conditional model)",
        };
        var perClass = new Option<bool>("--per-class")
        {
            Description = "for a class-conditional model of images: one row per class, --count samples each (with --guidance on a diffusion model)",
        };
        var command = new Command("sample", "Draw samples from a trained model into a PNG grid or scatter plot.")
        {
            directory, count, output, seed, device, label, temperature, sampler, steps, eta, guidance, perClass,
        };
        command.SetAction(parsed =>
        {
            string dir = parsed.GetValue(directory)!;
            int n = CommonOptions.Positive("--count", parsed.GetValue(count));
            long s = parsed.GetValue(seed);
            double t = parsed.GetValue(temperature);
            if (!(t > 0) || double.IsInfinity(t))
                throw new InvalidInputException($"--temperature {t}: expected a positive number.");
            torch.Device target = TorchRuntime.ResolveDevice(parsed.GetValue(device)!);
            string path = parsed.GetValue(output) ?? Path.Combine(dir, $"samples-seed-{s}.png");
            if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
                throw new InvalidInputException($"--out {path}: expected a .png file name.");
            using LoadedCheckpoint checkpoint = Checkpoint.Load(dir, target);
            using var model = checkpoint.Model;
            IDiffusionSampler? chosen = DiffusionSamplerChoice.Parse(model, parsed.GetValue(sampler), parsed.GetValue(steps), parsed.GetValue(eta));
            double? w = parsed.GetValue(guidance);
            if (w is not null && model.Module is not ConditionalDdpm)
                throw new InvalidInputException($"--guidance: this {model.Recipe.Info.Name} is not a class-conditional diffusion model (train a ddpm with --set classes=N).");
            bool everyClass = parsed.GetValue(perClass);
            if (w is not null && parsed.GetValue(label) is null && !everyClass)
                throw new InvalidInputException("--guidance: give the class to guide towards with --label L (or --per-class).");
            if (everyClass)
            {
                if (parsed.GetValue(label) is not null) throw new InvalidInputException("--per-class draws every class; drop --label.");
                if (t != 1.0) throw new InvalidInputException($"--temperature: --per-class draws at temperature 1; drop it.");
                if (model.Module is not IConditionalSampler { Context: ContextKind.ClassLabel } byClass)
                    throw new InvalidInputException($"--per-class: this {model.Recipe.Info.Name} is not class-conditional (train it with --set classes=N).");
                var progress = new ProgressReporter(ProgressMode.Auto, context.Error, !Console.IsErrorRedirected);
                SamplePictures.WritePerClass(path, byClass, n, s, draw: (labels, g) => model.Module is ConditionalDdpm diffusion
                    ? diffusion.SampleClasses(labels, w ?? 0, chosen ?? diffusion.DefaultSampler, g, (done, all) => progress.Report("diffusion steps", done, all, ""))
                    : byClass.Sample(labels, g));
                progress.Finish();
                context.Out.WriteLine($"wrote {n} samples of each of the {byClass.Classes} classes of {model.Recipe.Info.Name} to {path}, one row per class");
                return ExitCodes.Success;
            }
            if (model.Module is ConditionalDdpm cddpm && parsed.GetValue(label) is int guided)
            {
                if (t != 1.0) throw new InvalidInputException($"--temperature: this {model.Recipe.Info.Name} has no temperature; drop it.");
                if (guided < 0 || guided >= cddpm.Classes)
                    throw new InvalidInputException($"--label {guided}: expected a class in [0, {cddpm.Classes - 1}].");
                IDiffusionSampler run = chosen ?? cddpm.DefaultSampler;
                var progress = new ProgressReporter(ProgressMode.Auto, context.Error, !Console.IsErrorRedirected);
                SamplePictures.Write(path, model.Model, n, s, draw: (k, g) =>
                {
                    using var labels = torch.full([k], guided, torch.ScalarType.Int64);
                    return cddpm.SampleClasses(labels, w ?? 0, run, g, (done, all) => progress.Report($"{run.Name} steps", done, all, ""));
                });
                progress.Finish();
            }
            else if (chosen is not null && (parsed.GetValue(label) is not null || t != 1.0))
                throw new InvalidInputException($"--{(t != 1.0 ? "temperature" : "label")}: this {model.Recipe.Info.Name} is unconditional and has no temperature; drop it.");
            if (chosen is not null)
            {
                var progress = new ProgressReporter(ProgressMode.Auto, context.Error, !Console.IsErrorRedirected);
                SamplePictures.Write(path, model.Model, n, s, draw: (k, g) => ((IDiffusionModel)model.Module).Sample(k, chosen, g,
                    (done, all) => progress.Report($"{chosen.Name} steps", done, all, "")));
                progress.Finish();
            }
            else if (parsed.GetValue(label) is int l)
            {
                if (model.Module is not IConditionalSampler { Context: ContextKind.ClassLabel } conditional)
                    throw new InvalidInputException($"--label: this {model.Recipe.Info.Name} is not class-conditional (train it with --set classes=N).");
                if (l < 0 || l >= conditional.Classes)
                    throw new InvalidInputException($"--label {l}: expected a class in [0, {conditional.Classes - 1}].");
                SamplePictures.WriteConditional(path, conditional, n, l, s);
            }
            else
            {
                SamplePictures.Write(path, model.Model, n, s, temperature: t);
            }
            context.Out.WriteLine($"wrote {n} samples of {model.Recipe.Info.Name} to {path}");
            if (model.Module is Models.Variational.VqVae { NoPriorNote: string note }) context.Out.WriteLine(note);
            return ExitCodes.Success;
        });
        return command;
    }
}
