namespace GenerativeSharp.Models.Diffusion;

/// <summary>
/// The fixed variance sigma_t^2 of the reverse step p(x_{t-1} | x_t) (Ho et al. 2020, arXiv:2006.11239, sec. 3.2):
/// both give similar samples; they differ in the bound.
/// </summary>
public enum VarianceChoice
{
    /// <summary>sigma_t^2 = beta~_t, the posterior variance (optimal for a deterministic x_0); DDIM with eta = 1 is this.</summary>
    Small,

    /// <summary>sigma_t^2 = beta_t (optimal for x_0 ~ N(0, I)).</summary>
    Large,
}
