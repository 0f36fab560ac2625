using static TorchSharp.torch;

namespace GenerativeSharp.Models.Diffusion;

/// <summary>
/// A network's guess of the noise in x_t: eps_theta(x_t, t), x_t [B, ...event], t [B] int64 0-based time-step
/// indices -> [B, ...event] (Ho et al. 2020, arXiv:2006.11239, sec. 3.2). Samplers and the bound see a network
/// only through this, so tests can give them an oracle.
/// </summary>
public delegate Tensor NoisePredictor(Tensor xt, Tensor t);
