using static TorchSharp.torch;

namespace GenerativeSharp.Models.Diffusion;

/// <summary>
/// The variational bound of a diffusion model (Sohl-Dickstein et al., "Deep Unsupervised Learning using Nonequilibrium
/// Thermodynamics", 2015, arXiv:1503.03585; Ho et al. 2020, arXiv:2006.11239, eq. 5 and sec. 3.3):
/// -log p(x_0) &lt;= L_T + sum_{t&gt;1} L_{t-1} + L_0, with L_T = KL(q(x_T | x_0) || N(0, I)),
/// L_{t-1} = E_q KL(q(x_{t-1} | x_t, x_0) || p(x_{t-1} | x_t)) and L_0 = -E_q log p(x_0 | x_1): a discretized Gaussian
/// for data on a grid of <c>levels</c> values in [-1, 1] (bins of width 2 / (levels - 1), the end bins reaching to
/// +-infinity, as in Ho et al.'s code), a Gaussian density for continuous data. All in nats, float64.
/// </summary>
public static class DiffusionBound
{
    private const double HalfLogTwoPi = 0.91893853320467274;

    /// <summary>
    /// -bound per example, [B] float64, for x_0 [B, ...] in the model's space. <paramref name="timesteps"/> &gt;= T or 0: every
    /// term (each with one draw of x_t); otherwise the unbiased stratified estimate: the T steps cut into K strata of
    /// n_k = about T / K consecutive steps, the first stratum (the earliest steps) taken in full, and in each other one
    /// step t_k drawn uniformly per example, weighted by n_k.
    /// </summary>
    public static Tensor Negative(NoisePredictor network, NoiseSchedule schedule, VarianceChoice variance, Tensor x0, int levels,
        int timesteps, Generator? generator)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        int T = schedule.Timesteps;
        long batch = x0.shape[0];
        Tensor total = PriorTerm(schedule, x0);                                      // [B]
        if (timesteps <= 0 || timesteps >= T)
        {
            for (int t = 0; t < T; t++)
            {
                using var step = NewDisposeScope();
                Tensor steps = full([batch], t, ScalarType.Int64, x0.device);
                total.add_(Term(network, schedule, variance, x0, steps, levels, generator));
            }
            return total.MoveToOuterDisposeScope();
        }
        // stratified: stratum k holds the steps [floor(k T / K), floor((k + 1) T / K)), n_k of them. The first stratum, the
        // earliest steps, whose terms vary the most between draws, is taken in full; in each other one a step is drawn
        // uniformly per example and weighted by n_k.
        long[] starts = Enumerable.Range(0, timesteps + 1).Select(k => (long)k * T / timesteps).ToArray();
        for (long t = 0; t < starts[1]; t++)
        {
            using var step = NewDisposeScope();
            total.add_(Term(network, schedule, variance, x0, full([batch], t, ScalarType.Int64, x0.device), levels, generator));
        }
        int strata = timesteps - 1;
        if (strata == 0) return total.MoveToOuterDisposeScope();
        Tensor start = tensor(starts[1..^1], device: x0.device).unsqueeze(1);                                  // [K-1, 1]
        Tensor sizes = tensor(starts.Skip(2).Zip(starts.Skip(1), (b, a) => (double)(b - a)).ToArray(), device: x0.device).unsqueeze(1);   // [K-1, 1]
        Tensor u = Runtime.SeededRandom.Uniform([strata, batch], ScalarType.Float64, x0.device, generator);   // [K-1, B]
        Tensor drawn = (start + (u * sizes).floor().to(ScalarType.Int64)).minimum(start + sizes.to(ScalarType.Int64) - 1);   // [K-1, B]
        Tensor repeated = x0.unsqueeze(0).expand([strata, .. x0.shape]).reshape([strata * batch, .. x0.shape.Skip(1)]);   // [(K-1)*B, ...]
        Tensor terms = Term(network, schedule, variance, repeated, drawn.view(-1), levels, generator).view(strata, batch);   // [K-1, B]
        return (total + (terms * sizes).sum([0])).MoveToOuterDisposeScope();
    }

    /// <summary>L_T = KL(q(x_T | x_0) || N(0, I)) per example, [B] float64.</summary>
    public static Tensor PriorTerm(NoiseSchedule schedule, Tensor x0)
    {
        using var scope = NewDisposeScope();
        Tensor x = x0.to(ScalarType.Float64);
        Tensor last = full([x.shape[0]], schedule.Timesteps - 1, ScalarType.Int64, x.device);
        var (mean, var) = schedule.Marginal(x, last);
        return GaussianKl(mean, var, zeros_like(mean), ones_like(var)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One term per row: L_{t-1} (a KL) where t_i &gt; 0, L_0 (the decoder's -log p) where t_i = 0, each with one draw
    /// x_t ~ q(x_t | x_0); x_0 [N, ...], t [N] -> [N] float64.
    /// </summary>
    public static Tensor Term(NoisePredictor network, NoiseSchedule schedule, VarianceChoice variance, Tensor x0, Tensor t, int levels,
        Generator? generator)
    {
        using var scope = NewDisposeScope();
        Tensor noise = Runtime.SeededRandom.Normal(x0.shape, x0.dtype, x0.device, generator);
        Tensor xt = schedule.Noised(x0, t, noise);
        Tensor predicted = schedule.PredictedOriginal(xt, t, network(xt, t)).to(ScalarType.Float64);
        Tensor x = x0.to(ScalarType.Float64), xt64 = xt.to(ScalarType.Float64);
        var (meanQ, varQ) = schedule.Posterior(x, xt64, t);
        var (meanP, _) = schedule.Posterior(predicted, xt64, t);
        Tensor varP = NoiseSchedule.Gather(schedule.ReverseVariances(variance), t, x);
        Tensor kl = GaussianKl(meanQ, varQ.clamp_min(1e-30).expand_as(meanQ), meanP, varP.expand_as(meanP));
        Tensor decoder = -DecoderLogLikelihood(x, meanP, varP.expand_as(meanP), levels);
        return where(t.to(x.device) == 0, decoder, kl).MoveToOuterDisposeScope();
    }

    /// <summary>KL(N(m1, v1) || N(m2, v2)) summed over all but the first dimension, [B].</summary>
    public static Tensor GaussianKl(Tensor mean1, Tensor var1, Tensor mean2, Tensor var2)
    {
        using var scope = NewDisposeScope();
        Tensor perCoordinate = 0.5 * ((var2 / var1).log() + (var1 + (mean1 - mean2).square()) / var2 - 1);
        return perCoordinate.flatten(1).sum(1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// log p(x_0 | x_1) summed per example, [B]: the discretized Gaussian for <paramref name="levels"/> &gt;= 2, else the
    /// Gaussian density.
    /// </summary>
    public static Tensor DecoderLogLikelihood(Tensor x, Tensor mean, Tensor var, int levels)
    {
        using var scope = NewDisposeScope();
        Tensor perCoordinate;
        if (levels < 2)
        {
            perCoordinate = -HalfLogTwoPi - 0.5 * var.log() - (x - mean).square() / (2 * var);
        }
        else
        {
            double half = 1.0 / (levels - 1);
            Tensor std = var.sqrt();
            Tensor upper = (x + half - mean) / std, lower = (x - half - mean) / std;
            Tensor logCdfUpper = special.ndtr(upper).clamp_min(1e-12).log();       // log Phi(upper): the lowest bin
            Tensor logSurvivalLower = special.ndtr(-lower).clamp_min(1e-12).log(); // log (1 - Phi(lower)): the highest bin
            Tensor middle = (special.ndtr(upper) - special.ndtr(lower)).clamp_min(1e-12).log();
            perCoordinate = where(x < -1 + half / 2, logCdfUpper, where(x > 1 - half / 2, logSurvivalLower, middle));
        }
        return perCoordinate.flatten(1).sum(1).MoveToOuterDisposeScope();
    }
}
