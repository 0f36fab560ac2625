"""Shared pieces of the PyTorch peer benchmarks: options, timing, percentiles, the JSON line.

The timing rules follow GenerativeSharp's RecipeBenchmark (src/GenerativeSharp/Benchmarks/RecipeBenchmark.cs):
warm-up calls first, then each repetition timed on its own; median, p10 and p90 with linear
interpolation between order statistics; sampling is timed with 2 warm-up calls and
max(5, repeats // 3) repetitions and reported per item.
"""
import argparse
import json
import math
import os
import sys
import time

import torch


def parse_args(description, argv=None):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu", help="where to run (default: cpu)")
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads(N) (default: 2)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed calls before each measurement (default: 5)")
    parser.add_argument("--repeats", type=int, default=30, help="timed repetitions per measurement (default: 30)")
    parser.add_argument("--channels-last", action="store_true",
                        help="convolutional peers: model and inputs in torch.channels_last (GenerativeSharp's CPU layout)")
    args = parser.parse_args(argv)
    if args.threads < 1:
        parser.error("--threads must be at least 1")
    if args.warmup < 0:
        parser.error("--warmup must be at least 0")
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    if args.device == "cuda" and not torch.cuda.is_available():
        parser.error("--device cuda: this PyTorch (%s) sees no CUDA device" % torch.__version__)
    return args


def blas_libraries():
    """Names of the BLAS / OpenMP libraries mapped into this process (Linux only; cheap)."""
    found = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                name = path.rsplit("/", 1)[-1]
                if any(key in name for key in ("blas", "mkl_core", "mkl_rt", "gomp", "iomp", "lapack")):
                    found.add(path)
    except OSError:
        pass
    return sorted(found)


def setup(args):
    """Applies --threads, describes the torch build on stderr, returns the torch.device."""
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    config_lines = [l.strip() for l in torch.__config__.show().splitlines() if l.strip()]
    blas = [l for l in config_lines if "BLAS" in l or "MKL" in l or "LAPACK" in l]
    print("torch %s, get_num_threads=%d, get_num_interop_threads=%d, device=%s"
          % (torch.__version__, torch.get_num_threads(), torch.get_num_interop_threads(), device), file=sys.stderr)
    for line in blas[:3]:
        print("  config: " + (line if len(line) <= 160 else line[:157] + "..."), file=sys.stderr)
    libs = blas_libraries()
    if libs:
        print("  loaded: " + ", ".join(libs), file=sys.stderr)
    if device.type == "cuda":
        print("  cuda: %s, %s" % (torch.version.cuda, torch.cuda.get_device_name(device)), file=sys.stderr)
    return device


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def time_calls(action, warmup, repeats, device):
    """Runs action warmup times untimed, then repeats times each timed alone; milliseconds."""
    for _ in range(warmup):
        action()
    synchronize(device)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        synchronize(device)
        times.append((time.perf_counter() - start) * 1000.0)
    return times


def percentile(values, q):
    """Linear interpolation between order statistics, as RecipeBenchmark.Percentile."""
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(math.floor(position))
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(prefix, times, digits=4):
    return {
        prefix: round(percentile(times, 0.5), digits),
        prefix + "_p10": round(percentile(times, 0.1), digits),
        prefix + "_p90": round(percentile(times, 0.9), digits),
    }


def zero_grad_sets_to_none(optimizer):
    """What optimizer.zero_grad() does by default in this PyTorch (False in 1.13, True from 2.0)."""
    import inspect
    try:
        default = inspect.signature(optimizer.zero_grad).parameters["set_to_none"].default
        return bool(default)
    except (KeyError, ValueError, TypeError):
        return None


def report(result):
    """Prints the result as one JSON object on the last line of stdout."""
    sys.stdout.flush()
    print(json.dumps(result))


def measure_training(model, optimizer, objective, args, device):
    """Times the training step three ways; returns the JSON fields.

    objective() returns (loss, metrics) with metrics a dict of tensors. One step mirrors
    GenerativeSharp's SingleObjectiveStep: zero_grad, loss, loss.item() (finite check), backward,
    optimizer.step(), then .item() of each detached metric.
    """
    model.train()

    def one_step(update):
        optimizer.zero_grad()
        loss, metrics = objective()
        value = loss.item()
        if not math.isfinite(value):
            raise RuntimeError("the loss became %r" % value)
        loss.backward()
        if update:
            optimizer.step()
        for metric in metrics.values():
            metric.item()
        return value

    result = {}
    result.update(summary("step_ms", time_calls(lambda: one_step(True), args.warmup, args.repeats, device)))
    result.update(summary("forward_backward_ms", time_calls(lambda: one_step(False), args.warmup, args.repeats, device)))
    # Loss after the timed steps, a check that training moves; taken before the optimizer-only
    # timing, whose repeated steps on one stale gradient push the weights far off.
    result["final_loss"] = round(one_step(True), 5)
    one_step(False)   # gradients in place for the optimizer-only timing
    result.update(summary("optimizer_step_ms", time_calls(optimizer.step, args.warmup, args.repeats, device), 5))
    return result


def base_result(recipe, args, model, optimizer, batch_size):
    params = list(model.parameters())
    return {
        "recipe": recipe,
        "framework": "pytorch " + torch.__version__,
        "device": args.device,
        "threads": torch.get_num_threads(),
        "batch_size": batch_size,
        "warmup": args.warmup,
        "repeats": args.repeats,
        "parameter_tensors": len(params),
        "parameters": sum(p.numel() for p in params),
        "zero_grad_set_to_none": zero_grad_sets_to_none(optimizer),
        "loadavg_1min_at_start": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }
