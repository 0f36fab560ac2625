#!/usr/bin/env -S /usr/bin/python3
"""PyTorch peer of GenerativeSharp's "conv-stack" benchmark workload.

Input [32, 1, 14, 14] from torch.randn (fixed seed); Conv2d(1, 8, 3, padding=1) + ReLU; then
50 x [Conv2d(8, 8, 3, padding=1) + ReLU]; global average pool over H, W -> [32, 8]; Linear(8, 10);
cross-entropy against fixed random labels in 0..9; Adam lr 1e-3. 104 parameter tensors: many
small kernels, so the per-op and per-parameter overheads (dispatch, optimizer loop) dominate.
No sampling (sample_ms_per_item is null). --channels-last puts the model and the input in
torch.channels_last (what GenerativeSharp does on a CPU, src/GenerativeSharp/Runtime/ConvolutionLayout.cs).

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

BATCH = 32
INPUT_SHAPE = (1, 14, 14)
CHANNELS = 8
DEPTH = 50
CLASSES = 10
LEARNING_RATE = 1e-3


class ConvStack(nn.Module):
    def __init__(self):
        super().__init__()
        layers = [nn.Conv2d(INPUT_SHAPE[0], CHANNELS, 3, padding=1), nn.ReLU()]
        for _ in range(DEPTH):
            layers += [nn.Conv2d(CHANNELS, CHANNELS, 3, padding=1), nn.ReLU()]
        self.body = nn.Sequential(*layers)
        self.head = nn.Linear(CHANNELS, CLASSES)

    def forward(self, x):
        h = self.body(x).mean(dim=(2, 3))   # global average pool: [B, C]
        return self.head(h)


def main(argv=None):
    args = _common.parse_args("Time the PyTorch peer of the GenerativeSharp conv-stack training step.", argv)
    device = _common.setup(args)

    torch.manual_seed(0)
    model = ConvStack().to(device)
    if args.channels_last:
        model = model.to(memory_format=torch.channels_last)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    # Same seeds as the C# ConvStackProbe (labels 17, inputs 18); the two frameworks' generators
    # still draw different numbers, which does not matter for timing.
    labels = torch.randint(0, CLASSES, (BATCH,), generator=torch.Generator().manual_seed(17)).to(device)
    inputs = torch.randn((BATCH,) + INPUT_SHAPE, generator=torch.Generator().manual_seed(18)).to(device)
    if args.channels_last:
        inputs = inputs.contiguous(memory_format=torch.channels_last)

    def objective():
        return F.cross_entropy(model(inputs), labels), {}

    result = _common.base_result("conv-stack", args, model, optimizer, BATCH)
    result["channels_last"] = bool(args.channels_last)
    assert result["parameter_tensors"] == 104, result["parameter_tensors"]
    result.update(_common.measure_training(model, optimizer, objective, args, device))
    result["sample_ms_per_item"] = None
    _common.report(result)


if __name__ == "__main__":
    main()
