#!/usr/bin/env -S /usr/bin/python3
"""PyTorch side of `gensharp export` and `gensharp import` (docs/interop.md).

Defines, in plain PyTorch, the modules whose state-dict names GenerativeSharp exports
(src/GenerativeSharp/Interop/PyTorchNaming.cs), each computing what our model computes:
  vae             pytorch/examples vae/main.py: fc1 (x -> hidden, ReLU), fc21 (mu), fc22 (log var),
                  fc3 (z -> hidden, ReLU), fc4 (Bernoulli logits); widths read from the weights.
  made            pytorch-generative's MADE naming: _net.{2l} masked linear layers (weight, bias, mask),
                  ReLU between them, Bernoulli logits out.
  gated-pixelcnn  pytorch-generative's Gated PixelCNN layout (_input, _gated_layers.{i}, _head.1, _head.3) on
                  GenerativeSharp's layer (GatedPixelCnnLayer.cs; the differences: docs/interop.md).
  realnvp         affine couplings on points: couplings.{k}.net (MLP on the masked input), log_gain
                  (log-scale s = tanh(raw) * exp(log_gain)), mask buffer; standard normal base.

Commands:
  check WEIGHTS TEST   load WEIGHTS (from `gensharp export --out`) with load_state_dict(strict=True),
                       compute the mean NLL on TEST's examples (`gensharp export --test-out`: the bits
                       our eval scores; a VAE's noise draws eps), print it beside ours; exit 1 when the
                       relative difference is above --tolerance (default 1e-4).
  train-vae            train the pytorch/examples VAE on an IDX directory (pixels / 255, binarized afresh
                       each step by torch.bernoulli) and save its state dict as safetensors for
                       `gensharp import FILE --model vae --set hidden=H --set latent=L --data DIR`
                       (--out X.pt or .pth: torch.save's format instead, which gensharp import reads too).

The last line of stdout is one JSON object. Debian's python3-torch has no safetensors package: the
format (8-byte header length, JSON header, raw little-endian data) is written out here.
"""
import argparse
import gzip
import json
import math
import os
import struct
import sys

sys.dont_write_bytecode = True   # leave no __pycache__ in the source tree

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64,
          "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8, "BOOL": torch.bool}


def load_safetensors(path):
    """(tensors by name, metadata) of a safetensors file."""
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    metadata = header.pop("__metadata__", {})
    start = 8 + length
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        raw = bytearray(data[start + begin:start + end])
        flat = torch.frombuffer(raw, dtype=DTYPES[entry["dtype"]]) if raw else torch.empty(0, dtype=DTYPES[entry["dtype"]])
        tensors[name] = flat.reshape(entry["shape"]).clone()
    return tensors, metadata


def save_safetensors(tensors, path, metadata=None):
    """Writes tensors (CPU, any layout) and string metadata as safetensors."""
    names = {v: k for k, v in DTYPES.items()}
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().cpu().contiguous()
        raw = t.reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b""
        header[name] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


class ExamplesVae(nn.Module):
    """pytorch/examples vae/main.py, with the widths as arguments."""

    def __init__(self, inputs=784, hidden=400, latent=20):
        super().__init__()
        self.fc1, self.fc21, self.fc22 = nn.Linear(inputs, hidden), nn.Linear(hidden, latent), nn.Linear(hidden, latent)
        self.fc3, self.fc4 = nn.Linear(latent, hidden), nn.Linear(hidden, inputs)

    def encode(self, x):
        h = F.relu(self.fc1(x.flatten(1)))
        return self.fc21(h), self.fc22(h)

    def decode(self, z):
        return self.fc4(F.relu(self.fc3(z)))   # logits (the example applies sigmoid, then BCE)

    def negative_elbo(self, x, eps):
        """-log p(x | z) + KL(q || N(0, I)) per example, z = mu + exp(logvar / 2) eps."""
        mu, log_var = self.encode(x)
        z = mu + torch.exp(0.5 * log_var) * eps
        reconstruction = F.binary_cross_entropy_with_logits(self.decode(z), x.flatten(1), reduction="none").sum(1)
        kl = 0.5 * (mu.pow(2) + log_var.exp() - 1 - log_var).sum(1)
        return reconstruction + kl


class MaskedLinear(nn.Linear):
    def __init__(self, inputs, outputs):
        super().__init__(inputs, outputs)
        self.register_buffer("mask", torch.ones(outputs, inputs))

    def forward(self, x):
        return F.linear(x, self.weight * self.mask, self.bias)


class Made(nn.Module):
    def __init__(self, widths):
        super().__init__()
        layers = []
        for inputs, outputs in zip(widths[:-1], widths[1:]):
            layers += [MaskedLinear(inputs, outputs), nn.ReLU()]
        self._net = nn.Sequential(*layers[:-1])

    def nll(self, x):
        logits = self._net(x.flatten(1))
        return F.binary_cross_entropy_with_logits(logits, x.flatten(1), reduction="none").sum(1)


class GatedLayer(nn.Module):
    def __init__(self, inputs, channels, kernel, first):
        super().__init__()
        self.reach, self.first = kernel // 2, first
        self._vstack_NxN = nn.Conv2d(inputs, 2 * channels, (self.reach + 1, kernel))
        self._hstack_1xN = nn.Conv2d(inputs, 2 * channels, (1, self.reach + 1))
        self._link = nn.Conv2d(2 * channels, 2 * channels, 1)
        self._hstack_residual = nn.Conv2d(channels, channels, 1)

    @staticmethod
    def gate(raw):
        a, b = raw.chunk(2, 1)
        return torch.tanh(a) * torch.sigmoid(b)

    def forward(self, v_in, h_in):
        rows, width, c = v_in.shape[2], v_in.shape[3], self.reach
        v_raw = self._vstack_NxN(F.pad(v_in, [c, c, c, 0]))               # output row i sees input rows i-c..i
        shifted = F.pad(v_raw, [0, 0, 1, 0])[:, :, :rows]                 # row i holds row i-1
        source = F.pad(h_in, [1, 0, 0, 0])[:, :, :, :width] if self.first else h_in
        h_raw = self._hstack_1xN(F.pad(source, [c, 0, 0, 0])) + self._link(shifted)
        h_out = self._hstack_residual(self.gate(h_raw))
        return self.gate(v_raw), h_out if self.first else h_out + h_in


class GatedPixelCnn(nn.Module):
    def __init__(self, channels, layers, inputs=1):
        super().__init__()
        self._input = GatedLayer(inputs, channels, 7, first=True)
        self._gated_layers = nn.ModuleList([GatedLayer(channels, channels, 3, first=False) for _ in range(layers - 1)])
        self._head = nn.Sequential(nn.ReLU(), nn.Conv2d(channels, 2 * channels, 1), nn.ReLU(), nn.Conv2d(2 * channels, inputs, 1))

    def nll(self, x):
        v, h = self._input(x * 2 - 1, x * 2 - 1)
        for layer in self._gated_layers:
            v, h = layer(v, h)
        return F.binary_cross_entropy_with_logits(self._head(h), x, reduction="none").flatten(1).sum(1)


class Coupling(nn.Module):
    def __init__(self, dims, hidden, depth):
        super().__init__()
        layers, width = [], dims
        for _ in range(depth):
            layers += [nn.Linear(width, hidden), nn.ReLU()]
            width = hidden
        self.net = nn.Sequential(*layers, nn.Linear(width, 2 * dims))
        self.log_gain = nn.Parameter(torch.zeros(dims))
        self.register_buffer("mask", torch.zeros(dims))

    def inverse(self, x):
        """data -> latent: (z, log |det dz/dx|)."""
        b = self.mask
        raw_s, t = self.net(x * b).chunk(2, 1)
        s = torch.tanh(raw_s) * self.log_gain.exp() * (1 - b)
        return x * b + (1 - b) * ((x - t * (1 - b)) * torch.exp(-s)), -s.sum(1)


class RealNvpPoints(nn.Module):
    def __init__(self, dims, layers, hidden, depth):
        super().__init__()
        self.couplings = nn.ModuleList([Coupling(dims, hidden, depth) for _ in range(layers)])

    def nll(self, x):
        log_det = torch.zeros(x.shape[0], dtype=x.dtype)
        for coupling in self.couplings:
            x, part = coupling.inverse(x)
            log_det = log_det + part
        log_base = -0.5 * (x.pow(2) + math.log(2 * math.pi)).sum(1)
        return -(log_base + log_det)


def count(state, prefix):
    """How many modules numbered prefix{i}. the state dict holds."""
    return len({k[len(prefix):].split(".")[0] for k in state if k.startswith(prefix)})


def build(model, state):
    """The module of `model` with the widths the state dict's shapes say."""
    if model == "vae":
        hidden, inputs = state["fc1.weight"].shape
        return ExamplesVae(inputs, hidden, state["fc21.weight"].shape[0])
    if model == "made":
        layers = count(state, "_net.")
        widths = [state["_net.0.weight"].shape[1]] + [state["_net.%d.weight" % (2 * l)].shape[0] for l in range(layers)]
        return Made(widths)
    if model == "gated-pixelcnn":
        channels = state["_input._hstack_residual.weight"].shape[0]
        return GatedPixelCnn(channels, 1 + count(state, "_gated_layers."), state["_input._vstack_NxN.weight"].shape[1])
    if model == "realnvp":
        layers, depth = count(state, "couplings."), count(state, "couplings.0.net.") - 1
        hidden, dims = state["couplings.0.net.0.weight"].shape
        return RealNvpPoints(dims, layers, hidden, depth)
    raise SystemExit("interop.py: no PyTorch module for %r (vae, made, gated-pixelcnn, realnvp)" % model)


def check(args):
    state, metadata = load_safetensors(args.weights)
    test, test_metadata = load_safetensors(args.test)
    model_name = args.model or metadata.get("gensharp_model")
    module = build(model_name, state)
    module.load_state_dict(state, strict=True)
    module.eval()
    x = test["x"].to(torch.float32)
    total = 0.0
    with torch.no_grad():
        for start in range(0, x.shape[0], 500):
            batch = x[start:start + 500]
            nll = module.negative_elbo(batch, test["eps"][start:start + 500]) if model_name == "vae" else module.nll(batch)
            total += nll.double().sum().item()
    ours, theirs = float(test_metadata["nll_nats"]), total / x.shape[0]
    relative = abs(theirs - ours) / max(abs(ours), 1e-12)
    kind = test_metadata.get("nll_kind", "exact")
    print("%s on %d test examples of %s (%s)" % (model_name, x.shape[0], test_metadata.get("gensharp_data", "?"), kind))
    print("gensharp NLL: %.6f nats" % ours)
    print("pytorch  NLL: %.6f nats" % theirs)
    print("relative difference: %.3g (tolerance %g)" % (relative, args.tolerance))
    print(json.dumps({"model": model_name, "examples": x.shape[0], "nll_kind": kind, "gensharp_nll_nats": ours,
                      "pytorch_nll_nats": theirs, "relative_difference": relative, "torch": torch.__version__}))
    return 0 if relative <= args.tolerance else 1


def read_idx_images(directory):
    """The training images of an IDX directory as float32 [N, 1, H, W] in [0, 1]."""
    for name in ("train-images-idx3-ubyte", "train-images-idx3-ubyte.gz"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            data = (gzip.open if name.endswith(".gz") else open)(path, "rb").read()
            magic, n, rows, cols = struct.unpack(">IIII", data[:16])
            if magic != 2051:
                raise SystemExit("interop.py: %s is not an IDX image file" % path)
            pixels = torch.frombuffer(bytearray(data[16:16 + n * rows * cols]), dtype=torch.uint8)
            return pixels.reshape(n, 1, rows, cols).float() / 255
    raise SystemExit("interop.py: no train-images-idx3-ubyte[.gz] in %s" % directory)


def train_vae(args):
    torch.manual_seed(args.seed)
    images = read_idx_images(args.data)
    model = ExamplesVae(images[0].numel(), args.hidden, args.latent)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss = float("nan")
    for step in range(args.steps):
        batch = torch.bernoulli(images[torch.randint(0, images.shape[0], (args.batch_size,))])
        negative_elbo = model.negative_elbo(batch, torch.randn(args.batch_size, args.latent)).mean()
        optimizer.zero_grad()
        negative_elbo.backward()
        optimizer.step()
        loss = negative_elbo.item()
        if (step + 1) % max(1, args.steps // 5) == 0:
            print("step %d: negative ELBO %.3f nats" % (step + 1, loss), file=sys.stderr)
    if args.out.endswith((".pt", ".pth")):
        torch.save(model.state_dict(), args.out)                          # PyTorch's own zip-of-pickle format
    else:
        save_safetensors(model.state_dict(), args.out, {"pytorch_module": "pytorch/examples vae/main.py VAE"})
    print("wrote %s: %s" % (args.out, ", ".join("%s %s" % (k, list(v.shape)) for k, v in model.state_dict().items())))
    print(json.dumps({"out": args.out, "steps": args.steps, "hidden": args.hidden, "latent": args.latent, "last_loss": loss}))
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads(N) (default: 1)")
    commands = parser.add_subparsers(dest="command", required=True)
    checking = commands.add_parser("check", help="compare PyTorch's NLL with ours on the exported test bits")
    checking.add_argument("weights")
    checking.add_argument("test")
    checking.add_argument("--model", help="vae, made, gated-pixelcnn or realnvp (default: the file's gensharp_model)")
    checking.add_argument("--tolerance", type=float, default=1e-4, help="largest relative difference accepted (default 1e-4)")
    training = commands.add_parser("train-vae", help="train pytorch/examples' VAE on an IDX directory, save safetensors")
    training.add_argument("--data", required=True, help="a directory with train-images-idx3-ubyte[.gz]")
    training.add_argument("--steps", type=int, default=300)
    training.add_argument("--batch-size", type=int, default=128)
    training.add_argument("--hidden", type=int, default=400)
    training.add_argument("--latent", type=int, default=20)
    training.add_argument("--seed", type=int, default=0)
    training.add_argument("--out", required=True, help="FILE.safetensors, or FILE.pt / FILE.pth for torch.save's format")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    return check(args) if args.command == "check" else train_vae(args)


if __name__ == "__main__":
    sys.exit(main())
