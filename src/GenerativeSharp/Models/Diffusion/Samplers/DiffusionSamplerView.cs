using static TorchSharp.torch;

namespace GenerativeSharp.Models.Diffusion.Samplers;

/// <summary>
/// A diffusion model seen through one sampler: <see cref="Sample"/> draws with <see cref="Sampler"/> instead of the model's
/// default, so the sample-quality metrics of <c>gensharp eval --sampler ddpm|ddim --steps S --eta X</c> score that sampler.
/// </summary>
public sealed class DiffusionSamplerView : IGenerativeModel
{
    public DiffusionSamplerView(IDiffusionModel model, IDiffusionSampler sampler)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Sampler = sampler ?? throw new ArgumentNullException(nameof(sampler));
    }

    public IDiffusionModel Model { get; }

    public IDiffusionSampler Sampler { get; }

    public long[] EventShape => Model.EventShape;

    public Tensor Sample(int count, Generator? generator = null)
    {
        (Model as TorchSharp.torch.nn.Module)?.eval();
        return Model.Sample(count, Sampler, generator);
    }

    /// <summary>E.g. "ddim, 50 steps, eta 0" or "ddpm, 1000 steps (ancestral)".</summary>
    public static string Describe(IDiffusionSampler sampler, NoiseSchedule schedule)
    {
        int steps = sampler.Timesteps(schedule).Count;
        return sampler is DdimSampler ddim
            ? FormattableString.Invariant($"ddim, {steps} steps, eta {ddim.Eta}")
            : $"{sampler.Name}, {steps} steps (ancestral)";
    }
}
