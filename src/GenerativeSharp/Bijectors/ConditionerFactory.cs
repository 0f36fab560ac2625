using TorchSharp;
using static TorchSharp.torch;

namespace GenerativeSharp.Bijectors;

/// <summary>
/// Builds the network of a coupling layer: it maps an input [B, ...shape] to
/// [B, outputsPerInput * shape[0], ...shape[1..]] (e.g. a log-scale and a shift per input).
/// Couplings call it once, in their constructor; <see cref="CouplingNetworks"/> has the usual ones.
/// </summary>
public delegate nn.Module<Tensor, Tensor> ConditionerFactory(long[] shape, int outputsPerInput);
