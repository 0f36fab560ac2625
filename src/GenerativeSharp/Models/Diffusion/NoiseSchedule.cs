using static TorchSharp.torch;

namespace GenerativeSharp.Models.Diffusion;

/// <summary>
/// The forward (noising) process of a diffusion model, apart from any network, the way diffusers keeps a
/// scheduler apart from its model: betas beta_t, alphas_cumprod abar_t = prod_{s &lt;= t} (1 - beta_s), the closed
/// form q(x_t | x_0) = N(sqrt(abar_t) x_0, (1 - abar_t) I) and the posterior q(x_{t-1} | x_t, x_0) =
/// N(c0 x_0 + ct x_t, beta~_t I) (Ho et al., "Denoising Diffusion Probabilistic Models", 2020, arXiv:2006.11239,
/// eqs. 4, 6, 7). Time steps are 0-based indices t = 0 .. T-1 (index t is the paper's step t + 1); abar at
/// index -1 is 1. Coefficients are kept in float64 and gathered per example into the data's dtype.
/// </summary>
public sealed class NoiseSchedule
{
    private NoiseSchedule(double[] betas)
    {
        int T = betas.Length;
        Betas = betas;
        var cumprod = new double[T];
        double product = 1;
        for (int t = 0; t < T; t++) cumprod[t] = product *= 1 - betas[t];
        AlphasCumprod = cumprod;
        PosteriorVariance = new double[T];
        PosteriorMeanCoefficientX0 = new double[T];
        PosteriorMeanCoefficientXt = new double[T];
        for (int t = 0; t < T; t++)
        {
            double previous = t == 0 ? 1 : cumprod[t - 1];
            PosteriorVariance[t] = betas[t] * (1 - previous) / (1 - cumprod[t]);
            PosteriorMeanCoefficientX0[t] = betas[t] * Math.Sqrt(previous) / (1 - cumprod[t]);
            PosteriorMeanCoefficientXt[t] = (1 - previous) * Math.Sqrt(1 - betas[t]) / (1 - cumprod[t]);
        }
    }

    /// <summary>beta_t linear from <paramref name="start"/> to <paramref name="end"/> (Ho et al.: 1e-4 .. 0.02, T = 1000).</summary>
    public static NoiseSchedule Linear(int timesteps, double start = 1e-4, double end = 0.02)
    {
        Check(timesteps);
        return new NoiseSchedule(Enumerable.Range(0, timesteps)
            .Select(t => timesteps == 1 ? start : start + (end - start) * t / (timesteps - 1)).ToArray());
    }

    /// <summary>
    /// abar(t) = f(t) / f(0), f(t) = cos^2(((t / T + s) / (1 + s)) pi / 2), s = 0.008, beta_t = min(1 - abar_t / abar_{t-1}, 0.999)
    /// (Nichol and Dhariwal, "Improved Denoising Diffusion Probabilistic Models", 2021, arXiv:2102.09672, eq. 17).
    /// </summary>
    public static NoiseSchedule Cosine(int timesteps, double offset = 0.008)
    {
        Check(timesteps);
        double F(double t) => Math.Pow(Math.Cos((t / timesteps + offset) / (1 + offset) * Math.PI / 2), 2);
        return new NoiseSchedule(Enumerable.Range(0, timesteps).Select(t => Math.Min(1 - F(t + 1) / F(t), 0.999)).ToArray());
    }

    /// <summary>A schedule with the given betas (tests).</summary>
    public static NoiseSchedule FromBetas(IReadOnlyList<double> betas)
    {
        if (betas.Count == 0 || betas.Any(b => !(b > 0 && b < 1)))
            throw new ArgumentException("betas must lie in (0, 1).", nameof(betas));
        return new NoiseSchedule(betas.ToArray());
    }

    public int Timesteps => Betas.Length;

    public double[] Betas { get; }

    public double[] AlphasCumprod { get; }

    /// <summary>beta~_t = beta_t (1 - abar_{t-1}) / (1 - abar_t); 0 at t = 0.</summary>
    public double[] PosteriorVariance { get; }

    /// <summary>The coefficient of x_0 in the posterior mean, beta_t sqrt(abar_{t-1}) / (1 - abar_t).</summary>
    public double[] PosteriorMeanCoefficientX0 { get; }

    /// <summary>The coefficient of x_t in the posterior mean, (1 - abar_{t-1}) sqrt(alpha_t) / (1 - abar_t).</summary>
    public double[] PosteriorMeanCoefficientXt { get; }

    /// <summary>
    /// sigma_t^2 of the reverse step per index: beta~_t (small) or beta_t (large), and at t = 0, where beta~_0 = 0, beta~_1
    /// for both, as Ho et al.'s code clips it (their decoder's variance).
    /// </summary>
    public double[] ReverseVariances(VarianceChoice choice)
    {
        var variances = new double[Timesteps];
        for (int t = 0; t < Timesteps; t++)
            variances[t] = choice == VarianceChoice.Large ? Betas[t] : PosteriorVariance[t];
        variances[0] = Timesteps > 1 ? PosteriorVariance[1] : Betas[0];
        return variances;
    }

    /// <summary>abar at index t, with abar_{-1} = 1.</summary>
    public double AlphaCumprod(int t) => t < 0 ? 1.0 : AlphasCumprod[t];

    /// <summary>
    /// <paramref name="values"/>[t_i] for each example, shaped [B, 1, ...] to broadcast against <paramref name="like"/> [B, ...].
    /// </summary>
    public static Tensor Gather(double[] values, Tensor t, Tensor like)
    {
        using var scope = NewDisposeScope();
        Tensor table = tensor(values, dtype: like.dtype, device: like.device);
        long[] shape = [t.shape[0], .. Enumerable.Repeat(1L, (int)like.dim() - 1)];
        return table.index_select(0, t.to(like.device)).view(shape).MoveToOuterDisposeScope();   // [B] -> [B, 1, ...]
    }

    /// <summary>The mean and variance of q(x_t | x_0): sqrt(abar_t) x_0 and (1 - abar_t), each [B, 1, ...] or [B, ...].</summary>
    public (Tensor Mean, Tensor Variance) Marginal(Tensor x0, Tensor t)
    {
        using var scope = NewDisposeScope();
        Tensor abar = Gather(AlphasCumprod, t, x0);
        Tensor mean = abar.sqrt() * x0;
        Tensor variance = (1 - abar).expand_as(x0).contiguous();
        return (mean.MoveToOuterDisposeScope(), variance.MoveToOuterDisposeScope());
    }

    /// <summary>x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) noise: a draw of q(x_t | x_0) given the noise.</summary>
    public Tensor Noised(Tensor x0, Tensor t, Tensor noise)
    {
        using var scope = NewDisposeScope();
        Tensor abar = Gather(AlphasCumprod, t, x0);
        return (abar.sqrt() * x0 + (1 - abar).sqrt() * noise).MoveToOuterDisposeScope();
    }

    /// <summary>The x_0 that x_t and the noise imply: (x_t - sqrt(1 - abar_t) noise) / sqrt(abar_t).</summary>
    public Tensor PredictedOriginal(Tensor xt, Tensor t, Tensor noise)
    {
        using var scope = NewDisposeScope();
        Tensor abar = Gather(AlphasCumprod, t, xt);
        return ((xt - (1 - abar).sqrt() * noise) / abar.sqrt()).MoveToOuterDisposeScope();
    }

    /// <summary>The noise that x_t and x_0 imply: (x_t - sqrt(abar_t) x_0) / sqrt(1 - abar_t).</summary>
    public Tensor ImpliedNoise(Tensor xt, Tensor t, Tensor x0)
    {
        using var scope = NewDisposeScope();
        Tensor abar = Gather(AlphasCumprod, t, xt);
        return ((xt - abar.sqrt() * x0) / (1 - abar).sqrt()).MoveToOuterDisposeScope();
    }

    /// <summary>The mean and variance of the posterior q(x_{t-1} | x_t, x_0), [B, ...] and [B, 1, ...].</summary>
    public (Tensor Mean, Tensor Variance) Posterior(Tensor x0, Tensor xt, Tensor t)
    {
        using var scope = NewDisposeScope();
        Tensor mean = Gather(PosteriorMeanCoefficientX0, t, xt) * x0 + Gather(PosteriorMeanCoefficientXt, t, xt) * xt;
        Tensor variance = Gather(PosteriorVariance, t, xt);
        return (mean.MoveToOuterDisposeScope(), variance.MoveToOuterDisposeScope());
    }

    private static void Check(int timesteps)
    {
        if (timesteps < 1) throw new InvalidInputException($"timesteps must be at least 1, got {timesteps}.");
    }
}
