#!/usr/bin/env python3
"""Fault injection for checkpoints: corrupts a real checkpoint in many ways and runs eval, sample and
resume on each copy as separate processes. Every case must be refused in one line with exit 2,
without a crash (signal or "internal error"), a hang (timeout), a silent load (exit 0) or any change
to the run directory. Run by hand (it takes minutes):

    python3 tests/faults/corrupt-checkpoints.py [--cases N] [--seed S] [--cli PATH/gensharp.dll]

It trains a small VAE on toy:moons first, then prints one line per failure and the counts.
Only Python's standard library is needed.
"""
import argparse, hashlib, json, os, random, shutil, struct, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def cli_command(cli):
    if cli:
        return ["dotnet", cli]
    subprocess.run([os.path.join(ROOT, "gensharp"), "models"], check=True, stdout=subprocess.DEVNULL)   # builds once
    return ["dotnet", os.path.join(ROOT, "artifacts", "cli", "gensharp.dll")]


def snapshot(directory):
    result = {}
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            with open(path, "rb") as f:
                result[name] = hashlib.sha256(f.read()).hexdigest()
        else:
            result[name] = "<dir>"
    return result


def corruptions(data, rng, count):
    """(name, bytes) pairs: bit flips in the length field, header (metadata included) and data; truncations; appends; zeroed runs."""
    header_end = 8 + struct.unpack("<Q", data[:8])[0]
    cases = []
    def flip(position):
        b = bytearray(data)
        b[position] ^= 1 << rng.randrange(8)
        return bytes(b)
    for _ in range(count):
        kind = rng.choice(["flip-length", "flip-header", "flip-header", "flip-data", "flip-data", "truncate", "append", "zero-run", "two-flips"])
        if kind == "flip-length":
            cases.append((kind, flip(rng.randrange(8))))
        elif kind == "flip-header":
            cases.append((kind, flip(rng.randrange(8, header_end))))
        elif kind == "flip-data":
            cases.append((kind, flip(rng.randrange(header_end, len(data)))))
        elif kind == "two-flips":
            once = flip(rng.randrange(len(data)))
            b = bytearray(once)
            b[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
            cases.append((kind, bytes(b)))
        elif kind == "truncate":
            cases.append((kind, data[: rng.randrange(len(data))]))
        elif kind == "append":
            cases.append((kind, data + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))))
        else:
            start = rng.randrange(len(data))
            length = rng.randrange(1, 64)
            cases.append((kind, data[:start] + bytes(min(length, len(data) - start)) + data[start + length:]))
    return cases


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=80)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cli", help="a built gensharp.dll (default: build with ./gensharp)")
    args = parser.parse_args()
    gensharp = cli_command(args.cli)
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="gensharp-faults-")
    env = dict(os.environ, OMP_NUM_THREADS="1")
    try:
        run = os.path.join(work, "run")
        subprocess.run(gensharp + ["train", "vae", "--data", "toy:moons", "--steps", "30", "--out", run, "--progress", "none",
                                   "--set", "hidden=8"], check=True, env=env, stdout=subprocess.DEVNULL)
        with open(os.path.join(run, "checkpoint.safetensors"), "rb") as f:
            original = f.read()
        commands = {
            "eval": lambda d: ["eval", d, "--progress", "none", "--limit", "200"],
            "sample": lambda d: ["sample", d, "--count", "16"],
            "resume": lambda d: ["train", "vae", "--data", "toy:moons", "--steps", "40", "--out", d, "--resume", "--progress", "none"],
        }
        counts = {"refused": 0, "crash": 0, "hang": 0, "loaded": 0, "disk changed": 0, "not one line": 0}
        for index, (kind, data) in enumerate(corruptions(original, rng, args.cases)):
            for name, arguments in commands.items():
                case = os.path.join(work, f"case-{index}-{name}")
                shutil.copytree(run, case)
                with open(os.path.join(case, "checkpoint.safetensors"), "wb") as f:
                    f.write(data)
                before = snapshot(case)
                try:
                    done = subprocess.run(gensharp + arguments(case), capture_output=True, text=True, timeout=120, env=env)
                    code, error = done.returncode, done.stderr
                except subprocess.TimeoutExpired:
                    code, error = None, "timeout"
                lines = [l for l in error.strip().splitlines() if l]
                if code is None:
                    verdict = "hang"
                elif code < 0 or code > 2 or "internal error" in error:
                    verdict = "crash"
                elif code == 0:
                    verdict = "loaded"
                elif snapshot(case) != before:
                    verdict = "disk changed"
                elif code != 2 or len(lines) != 1 or not lines[0].startswith("gensharp: "):
                    verdict = "not one line"
                else:
                    verdict = "refused"
                counts[verdict] += 1
                if verdict != "refused":
                    print(f"case {index} ({kind}) {name}: {verdict}, exit {code}: {error.strip()[:300]}")
                shutil.rmtree(case, ignore_errors=True)
        total = sum(counts.values())
        print(f"{args.cases} corrupted checkpoints x {len(commands)} commands = {total} runs: " +
              ", ".join(f"{v} {k}" for k, v in counts.items()))
        return 0 if counts["refused"] == total else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
