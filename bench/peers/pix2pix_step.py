#!/usr/bin/env -S /usr/bin/python3
"""PyTorch peer of GenerativeSharp's "pix2pix" benchmark (src/GenerativeSharp/Training/Pix2PixStep.cs).

The recipe's defaults on the benchmark's paired data: inputs and targets [16, 3, 32, 32] (fixed Bernoulli(0.3)
pixels, targets = 1 - inputs), seen in [-1, 1].
* G, the U-Net of Isola et al. 2017 at 32 px: 5 stride-2 4x4 convolutions with 32, 64, 128, 256, 256 channels
  (LeakyReLU 0.2 before each but the first, batch norm after each but the first and the 1 x 1 bottleneck), 5 stride-2
  4x4 transposed convolutions back (ReLU before each, batch norm after each but the last, dropout 0.5 on the first
  three, a skip concatenated from the encoder at every side), tanh.
* D, the PatchGAN with 2 blocks (receptive field 16): Conv(6, 32, 4, s2) LeakyReLU, Conv(32, 64, 4, s1) BatchNorm
  LeakyReLU, Conv(64, 1, 4, s1): one logit per patch.
* One step is one round, as AdversarialGame plays it: G(x) once; D's move (zero_grad, [BCE(D(x, y), 1) +
  BCE(D(x, G(x).detach()), 0)] / 2, loss.item(), backward, Adam step); G's move (zero_grad, BCE(D(x, G(x)), 1) +
  100 |G(x) - y|, loss.item(), backward, Adam step); then .item() of d_real, d_fake, g_gan and g_l1. Adam 2e-4,
  betas (0.5, 0.999), one per player.
* sample_ms_per_item: G in eval mode (running batch-norm statistics) with dropout still on (the paper's noise),
  64 inputs under no_grad, per input.

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

BATCH = 16
SIDE = 32
CHANNELS = 3
NGF = 32
NDF = 32
DROPOUT_BLOCKS = 3
L1_WEIGHT = 100.0
LEARNING_RATE = 2e-4


class UnetGenerator(nn.Module):
    def __init__(self):
        super().__init__()
        self.depth = SIDE.bit_length() - 1                                   # log2(32) = 5
        width = [NGF << min(i, 3) for i in range(self.depth)]                # 32, 64, 128, 256, 256
        channels = CHANNELS
        self.downs, self.down_norms = nn.ModuleList(), nn.ModuleList()
        for i in range(self.depth):
            self.downs.append(nn.Conv2d(channels, width[i], 4, stride=2, padding=1))
            if 0 < i < self.depth - 1:
                self.down_norms.append(nn.BatchNorm2d(width[i]))
            channels = width[i]
        self.ups, self.up_norms = nn.ModuleList(), nn.ModuleList()
        for j in range(self.depth - 1):
            inputs = width[-1] if j == 0 else 2 * width[self.depth - 1 - j]
            outputs = width[self.depth - 2 - j]
            self.ups.append(nn.ConvTranspose2d(inputs, outputs, 4, stride=2, padding=1))
            self.up_norms.append(nn.BatchNorm2d(outputs))
        self.ups.append(nn.ConvTranspose2d(2 * width[0], CHANNELS, 4, stride=2, padding=1))

    def forward(self, x):
        features, h = [], x
        for i in range(self.depth):
            h = self.downs[i](h if i == 0 else F.leaky_relu(h, 0.2))
            if 0 < i < self.depth - 1:
                h = self.down_norms[i - 1](h)
            features.append(h)
        for j in range(self.depth - 1):
            u = self.up_norms[j](self.ups[j](F.relu(h)))
            if j < DROPOUT_BLOCKS:
                u = F.dropout(u, 0.5, training=True)                         # on at test time too
            h = torch.cat([u, features[self.depth - 2 - j]], 1)              # [B, 2 width, s, s]: the skip
        return torch.tanh(self.ups[-1](F.relu(h)))


class PatchDiscriminator(nn.Module):
    def __init__(self, layers=2):
        super().__init__()
        channels = 2 * CHANNELS
        self.convs, self.norms = nn.ModuleList(), nn.ModuleList()
        for i in range(layers):
            nxt = NDF << min(i, 3)
            self.convs.append(nn.Conv2d(channels, nxt, 4, stride=2 if i < layers - 1 else 1, padding=1))
            if i > 0:
                self.norms.append(nn.BatchNorm2d(nxt))
            channels = nxt
        self.output = nn.Conv2d(channels, 1, 4, stride=1, padding=1)

    def forward(self, pair):
        h = pair
        for i, conv in enumerate(self.convs):
            h = conv(h)
            if i > 0:
                h = self.norms[i - 1](h)
            h = F.leaky_relu(h, 0.2)
        return self.output(h)


class Pix2Pix(nn.Module):
    def __init__(self):
        super().__init__()
        self.generator = UnetGenerator()
        self.discriminator = PatchDiscriminator()


def main(argv=None):
    args = _common.parse_args("Time the PyTorch peer of the GenerativeSharp pix2pix training step.", argv)
    device = _common.setup(args)

    torch.manual_seed(0)
    model = Pix2Pix().to(device)
    g, d = model.generator, model.discriminator
    g_opt = torch.optim.Adam(g.parameters(), lr=LEARNING_RATE, betas=(0.5, 0.999))
    d_opt = torch.optim.Adam(d.parameters(), lr=LEARNING_RATE, betas=(0.5, 0.999))
    data = torch.Generator().manual_seed(1)
    inputs = torch.bernoulli(torch.full((BATCH, CHANNELS, SIDE, SIDE), 0.3), generator=data)
    x = (inputs * 2 - 1).to(device)
    y = ((1 - inputs) * 2 - 1).to(device)
    translate = torch.bernoulli(torch.full((64, CHANNELS, SIDE, SIDE), 0.3), generator=data).to(device) * 2 - 1

    def one_step():
        model.train()
        fake = g(x)
        d_opt.zero_grad()
        real_logits, fake_logits = d(torch.cat([x, y], 1)), d(torch.cat([x, fake.detach()], 1))
        d_loss = (F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
                  + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))) / 2
        d_loss.item()
        d_loss.backward()
        d_opt.step()
        g_opt.zero_grad()
        logits = d(torch.cat([x, fake], 1))
        g_gan = F.binary_cross_entropy_with_logits(logits, torch.ones_like(logits))
        g_l1 = (fake - y).abs().mean()
        g_loss = g_gan + L1_WEIGHT * g_l1
        value = g_loss.item()
        g_loss.backward()
        g_opt.step()
        for metric in (real_logits.mean(), fake_logits.mean(), g_gan, g_l1):
            metric.item()
        return value

    def sample():
        g.eval()
        with torch.no_grad():
            (g(translate) + 1) / 2

    result = _common.base_result("pix2pix", args, model, g_opt, BATCH)
    result["parameters_generator"] = sum(p.numel() for p in g.parameters())
    result["parameters_discriminator"] = sum(p.numel() for p in d.parameters())
    result.update(_common.summary("step_ms", _common.time_calls(one_step, args.warmup, args.repeats, device)))
    result["final_loss"] = round(one_step(), 5)
    sample_times = _common.time_calls(sample, 2, max(5, args.repeats // 3), device)
    result["sample_ms_per_item"] = round(_common.percentile(sample_times, 0.5) / 64, 4)
    _common.report(result)


if __name__ == "__main__":
    main()
