#!/usr/bin/env -S /usr/bin/python3
"""PyTorch peer of GenerativeSharp's "vae" recipe benchmark (gensharp bench vae).

Mirrors the default image VAE (src/GenerativeSharp/Models/Variational/Vae.cs, VaeNetworks.cs):
encoder 784 -> 400 (ReLU) -> mu, logVar (20 each); decoder 20 -> 400 (ReLU) -> 784 Bernoulli logits;
loss = -(mean_b sum_pixels -BCEWithLogits(logits, x) - 1.0 * mean_b KL(q(z|x) || N(0, I)));
z = mu + exp(0.5 logVar) * eps. Batch [128, 1, 28, 28] of fixed Bernoulli(0.3) pixels, Adam lr 1e-3.
Sampling: z ~ N(0, I) [64, 20] -> decoder -> sigmoid under no_grad, reported per item.

Prints the torch configuration to stderr and one JSON object on the last line of stdout.
"""
import os
import sys

sys.dont_write_bytecode = True   # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

import _common  # noqa: E402

BATCH = 128
EVENT_SHAPE = (1, 28, 28)
HIDDEN = 400
LATENT = 20
BETA = 1.0
LEARNING_RATE = 1e-3
SAMPLE_BATCH = 64


class MlpVae(nn.Module):
    def __init__(self, inputs=784, hidden=HIDDEN, latent=LATENT):
        super().__init__()
        self.encoder_body = nn.Sequential(nn.Linear(inputs, hidden), nn.ReLU())
        self.fc_mu = nn.Linear(hidden, latent)
        self.fc_log_var = nn.Linear(hidden, latent)
        self.decoder_body = nn.Sequential(nn.Linear(latent, hidden), nn.ReLU())
        self.decoder_out = nn.Linear(hidden, inputs)

    def encode(self, x):
        h = self.encoder_body(x.flatten(1))
        return self.fc_mu(h), self.fc_log_var(h)

    def decode(self, z):
        return self.decoder_out(self.decoder_body(z))

    def loss(self, x, generator):
        mu, log_var = self.encode(x)
        eps = torch.randn(mu.shape, dtype=mu.dtype, device=mu.device, generator=generator)
        z = mu + (0.5 * log_var).exp() * eps
        logits = self.decode(z).view(x.shape)
        log_px = (-F.binary_cross_entropy_with_logits(logits, x, reduction="none")).flatten(1).sum(1)
        kl = (0.5 * (mu.square() + log_var.exp() - 1.0 - log_var)).sum(1)
        reconstruction = log_px.mean()
        kl = kl.mean()
        elbo = reconstruction - BETA * kl
        return -elbo, {"elbo": elbo.detach(), "kl": kl.detach(), "reconstruction": reconstruction.detach()}

    @torch.no_grad()
    def sample(self, count, generator):
        device = next(self.parameters()).device
        z = torch.randn((count, LATENT), device=device, generator=generator)
        return self.decode(z).sigmoid().view((count,) + EVENT_SHAPE)


def main(argv=None):
    args = _common.parse_args("Time the PyTorch peer of the GenerativeSharp VAE training step.", argv)
    device = _common.setup(args)

    torch.manual_seed(0)
    model = MlpVae().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    data_generator = torch.Generator().manual_seed(1)
    data = torch.bernoulli(torch.full((BATCH,) + EVENT_SHAPE, 0.3), generator=data_generator).to(device)
    generator = torch.Generator(device=device).manual_seed(2)

    result = _common.base_result("vae", args, model, optimizer, BATCH)
    result.update(_common.measure_training(model, optimizer, lambda: model.loss(data, generator), args, device))

    sample_times = _common.time_calls(lambda: model.sample(SAMPLE_BATCH, generator), 2, max(5, args.repeats // 3), device)
    result["sample_ms_per_item"] = round(_common.percentile(sample_times, 0.5) / SAMPLE_BATCH, 5)
    result["sample_batch"] = SAMPLE_BATCH
    _common.report(result)


if __name__ == "__main__":
    main()
