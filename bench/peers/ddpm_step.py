#!/usr/bin/env -S /usr/bin/python3
"""PyTorch peer of GenerativeSharp's "ddpm" benchmark (src/GenerativeSharp/Training/DiffusionStep.cs).

The recipe's defaults on the benchmark's data: x_0 [128, 1, 28, 28] (fixed Bernoulli(0.3) pixels) seen in [-1, 1];
the linear schedule of Ho et al. 2020 (beta 1e-4 to 0.02, T = 1000); the noise network of
src/GenerativeSharp/Models/Diffusion/UNetNoiseNetwork.cs at base width 32: sinusoidal time embedding of width 32 ->
Linear(32, 128) SiLU Linear(128, 128); a 3x3 convolution to 32 channels; levels of widths 32, 64, 64 (one residual
block each: GroupNorm-SiLU-conv3x3, + Linear(SiLU(embedding)) per channel, GroupNorm-SiLU-conv3x3, + a 1x1 shortcut when
the width changes; group counts 8), stride-2 3x3 convolutions between them (28 -> 14 -> 7); a middle of block,
single-head self-attention (GroupNorm, one qkv Linear, softmax(q k^T / sqrt C) v, a projection, residual), block; back
up through blocks on the concatenated skips with nearest-neighbour upsampling plus a 3x3 convolution; GroupNorm-SiLU
and a zero-initialised 3x3 convolution out.
* One step mirrors DiffusionStep: zero_grad, the simple loss (t uniform, eps ~ N(0, I), MSE of the predicted noise),
  loss.item(), backward, gradient-norm clipping at 1, Adam 2e-4, then the EMA of the weights (decay min(0.99,
  (1 + n) / (10 + n))).
* sample_ms_per_item: DDIM (Song et al. 2021), eta 0, 50 steps (t = 980, 960, ..., 0) with the EMA weights, x_0
  clipped to [-1, 1], 64 images under no_grad, per image.

Prints the torch configuration to stderr and one JSON object on the last line of stdout.
"""
import copy
import math
import os
import sys

sys.dont_write_bytecode = True   # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

import _common  # noqa: E402

BATCH = 128
SHAPE = (1, 28, 28)
WIDTH = 32
T = 1000
LEARNING_RATE = 2e-4
SAMPLE_STEPS = 50


def groups(channels):
    return 32 if channels % 32 == 0 and channels >= 256 else next(g for g in (8, 4, 2, 1) if channels % g == 0)


def sinusoidal(t, width):
    half = width // 2
    step = math.log(10_000) / (half - 1)
    frequencies = torch.exp(torch.arange(half, dtype=torch.float32, device=t.device) * -step)
    angles = t.float().unsqueeze(1) * frequencies.unsqueeze(0)
    return torch.cat([angles.sin(), angles.cos()], 1)


class ResidualBlock(nn.Module):
    def __init__(self, inputs, outputs, time_width):
        super().__init__()
        self.norm1, self.conv1 = nn.GroupNorm(groups(inputs), inputs), nn.Conv2d(inputs, outputs, 3, padding=1)
        self.time = nn.Linear(time_width, outputs)
        self.norm2, self.conv2 = nn.GroupNorm(groups(outputs), outputs), nn.Conv2d(outputs, outputs, 3, padding=1)
        self.shortcut = None if inputs == outputs else nn.Conv2d(inputs, outputs, 1)

    def forward(self, x, embedding):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.time(F.silu(embedding))[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return h + (x if self.shortcut is None else self.shortcut(x))


class SelfAttention(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.norm = nn.GroupNorm(groups(channels), channels)
        self.qkv, self.projection = nn.Linear(channels, 3 * channels), nn.Linear(channels, channels)

    def forward(self, x):
        b, c, h, w = x.shape
        tokens = self.norm(x).flatten(2).transpose(1, 2)                     # [B, HW, C]
        q, k, v = self.qkv(tokens).chunk(3, -1)
        weights = (q @ k.transpose(1, 2) / math.sqrt(c)).softmax(-1)
        return x + self.projection(weights @ v).transpose(1, 2).reshape(b, c, h, w)


class UNet(nn.Module):
    def __init__(self, multipliers=(1, 2, 2)):
        super().__init__()
        time_width = 4 * WIDTH
        self.time = nn.Sequential(nn.Linear(WIDTH, time_width), nn.SiLU(), nn.Linear(time_width, time_width))
        self.input = nn.Conv2d(SHAPE[0], WIDTH, 3, padding=1)
        self.down, self.downsample, widths, width = nn.ModuleList(), nn.ModuleList(), [], WIDTH
        for level, multiplier in enumerate(multipliers):
            self.down.append(ResidualBlock(width, WIDTH * multiplier, time_width))
            width = WIDTH * multiplier
            widths.append(width)
            if level + 1 < len(multipliers):
                self.downsample.append(nn.Conv2d(width, width, 3, stride=2, padding=1))
        self.middle1, self.attention = ResidualBlock(width, width, time_width), SelfAttention(width)
        self.middle2 = ResidualBlock(width, width, time_width)
        self.up, self.upsample = nn.ModuleList(), nn.ModuleList()
        for level in reversed(range(len(multipliers))):
            self.up.append(ResidualBlock(width + widths[level], WIDTH * multipliers[level], time_width))
            width = WIDTH * multipliers[level]
            if level > 0:
                self.upsample.append(nn.Conv2d(width, width, 3, padding=1))
        self.out_norm, self.output = nn.GroupNorm(groups(width), width), nn.Conv2d(width, SHAPE[0], 3, padding=1)
        nn.init.zeros_(self.output.weight)
        nn.init.zeros_(self.output.bias)

    def forward(self, x, t):
        embedding = self.time(sinusoidal(t, WIDTH))
        h, skips = self.input(x), []
        for level, block in enumerate(self.down):
            h = block(h, embedding)
            skips.append(h)
            if level < len(self.downsample):
                h = self.downsample[level](h)
        h = self.middle2(self.attention(self.middle1(h, embedding)), embedding)
        for i, block in enumerate(self.up):
            h = block(torch.cat([h, skips[len(self.down) - 1 - i]], 1), embedding)
            if i < len(self.upsample):
                h = self.upsample[i](h.repeat_interleave(2, 2).repeat_interleave(2, 3))
        return self.output(F.silu(self.out_norm(h)))


def main(argv=None):
    args = _common.parse_args("Time the PyTorch peer of the GenerativeSharp ddpm training step.", argv)
    device = _common.setup(args)

    torch.manual_seed(0)
    model = UNet().to(device)
    average = copy.deepcopy(model).requires_grad_(False)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    betas = torch.linspace(1e-4, 0.02, T, dtype=torch.float64)
    abar = torch.cumprod(1 - betas, 0).float().to(device)
    data = torch.Generator().manual_seed(1)
    x0 = (torch.bernoulli(torch.full((BATCH,) + SHAPE, 0.3), generator=data) * 2 - 1).to(device)
    updates = [0]

    def one_step():
        optimizer.zero_grad()
        t = torch.randint(0, T, (BATCH,), device=device)
        noise = torch.randn_like(x0)
        a = abar[t].view(-1, 1, 1, 1)
        loss = (model(a.sqrt() * x0 + (1 - a).sqrt() * noise, t) - noise).square().mean()
        value = loss.item()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        decay = min(0.99, (1 + updates[0]) / (10 + updates[0]))
        with torch.no_grad():
            for p, q in zip(average.parameters(), model.parameters()):
                p.lerp_(q, 1 - decay)
        updates[0] += 1
        return value

    steps = [i * T // SAMPLE_STEPS for i in range(SAMPLE_STEPS)][::-1]

    def sample():
        with torch.no_grad():
            x = torch.randn((64,) + SHAPE, device=device)
            for i, t in enumerate(steps):
                eps = average(x, torch.full((64,), t, device=device, dtype=torch.long))
                a = abar[t]
                predicted = ((x - (1 - a).sqrt() * eps) / a.sqrt()).clamp(-1, 1)
                previous = abar[steps[i + 1]] if i + 1 < len(steps) else torch.tensor(1.0, device=device)
                x = previous.sqrt() * predicted + (1 - previous).sqrt() * eps
            return (x + 1) / 2

    result = _common.base_result("ddpm", args, model, optimizer, BATCH)
    result.update(_common.summary("step_ms", _common.time_calls(one_step, args.warmup, args.repeats, device)))
    result["final_loss"] = round(one_step(), 5)
    sample_times = _common.time_calls(sample, 1, max(2, args.repeats // 10), device)
    result["sample_ms_per_item"] = round(_common.percentile(sample_times, 0.5) / 64, 4)
    result["sampler"] = "ddim, eta 0, %d steps" % SAMPLE_STEPS
    _common.report(result)


if __name__ == "__main__":
    main()
