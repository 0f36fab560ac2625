using GenerativeSharp.Models.Diffusion;
using GenerativeSharp.Models.Diffusion.Samplers;
using static TorchSharp.torch;

namespace GenerativeSharp.Models;

/// <summary>Diffusion models: a noise schedule and sampling by a chosen reverse process (DDPM, DDIM).</summary>
public interface IDiffusionModel : IGenerativeModel
{
    NoiseSchedule Schedule { get; }

    /// <summary>The sampler <see cref="IGenerativeModel.Sample"/> uses.</summary>
    IDiffusionSampler DefaultSampler { get; }

    /// <summary>The ancestral sampler of this model (its reverse variance).</summary>
    IDiffusionSampler AncestralSampler { get; }

    /// <summary>count examples by <paramref name="sampler"/>; <paramref name="progress"/> hears (steps done, steps).</summary>
    Tensor Sample(int count, IDiffusionSampler sampler, Generator? generator = null, Action<int, int>? progress = null);
}
