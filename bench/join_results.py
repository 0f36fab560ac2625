#!/usr/bin/env -S /usr/bin/python3
"""Joins `gensharp bench --json` output with the PyTorch peers' JSON lines into one table.

Usage: join_results.py GENSHARP_JSON PEER_JSON [PEER_JSON...]
GENSHARP_JSON holds gensharp's stdout (the last line that parses as a JSON array is used, so
build messages before it do no harm). Each PEER_JSON holds a peer's stdout (its last line is the
JSON object). Uses only the standard library, so any python3 runs it.
"""
import json
import sys


def last_json(path, kind):
    with open(path) as handle:
        lines = [line.strip() for line in handle if line.strip()]
    for line in reversed(lines):
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, kind):
            return value
    raise SystemExit("join_results: no JSON %s found in %s" % (kind.__name__, path))


def number(value, digits):
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return "-"
    return "%.*f" % (digits, value)


def spread(entry, key, digits):
    if not entry or entry.get(key) is None:
        return "-"
    text = number(entry.get(key), digits)
    low, high = entry.get(key + "_p10"), entry.get(key + "_p90")
    if isinstance(low, (int, float)) and isinstance(high, (int, float)):
        text += " (%s-%s)" % (number(low, digits), number(high, digits))
    return text


def ratio(ours, theirs):
    if not isinstance(ours, (int, float)) or not isinstance(theirs, (int, float)) or theirs <= 0:
        return "-"
    return "%.2f" % (ours / theirs)


def main(argv):
    if len(argv) < 2:
        raise SystemExit(__doc__)
    ours = last_json(argv[0], list)
    peers = [last_json(path, dict) for path in argv[1:]]
    ours_by_recipe = {entry.get("recipe"): entry for entry in ours if isinstance(entry, dict)}
    peers_by_recipe = {entry.get("recipe"): entry for entry in peers}
    names = [p.get("recipe") for p in peers] + [n for n in ours_by_recipe if n not in peers_by_recipe]

    header = ["workload", "GenerativeSharp step ms", "PyTorch step ms", "ratio (ours/theirs)",
              "our optimizer step ms", "PyTorch optimizer step ms", "TorchSharp Adam step ms",
              "sample ms/item ours / theirs"]
    rows = []
    for name in names:
        g, p = ours_by_recipe.get(name), peers_by_recipe.get(name)
        g_step = g.get("step_ms") if g else None
        p_step = p.get("step_ms") if p else None
        sample = "%s / %s" % (number(g.get("sample_ms_per_item") if g else None, 4),
                              number(p.get("sample_ms_per_item") if p else None, 4))
        rows.append([
            name,
            spread(g, "step_ms", 3),
            spread(p, "step_ms", 3),
            ratio(g_step, p_step),
            number(g.get("optimizer_step_ms") if g else None, 3),
            number(p.get("optimizer_step_ms") if p else None, 3),
            number(g.get("baseline_optimizer_step_ms") if g else None, 3),
            sample if sample != "- / -" else "-",
        ])

    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
    def line(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print(line(row))

    print()
    print("step ms: median (p10-p90). optimizer columns: medians. ratio > 1 means GenerativeSharp is slower.")
    for p in peers:
        print("peer %s: %s, device %s, %s threads, batch %s, %s repeats, %s parameter tensors, "
              "zero_grad set_to_none=%s, load %s"
              % (p.get("recipe"), p.get("framework"), p.get("device"), p.get("threads"), p.get("batch_size"),
                 p.get("repeats"), p.get("parameter_tensors"), p.get("zero_grad_set_to_none"),
                 p.get("loadavg_1min_at_start")))
    loads = [p.get("loadavg_1min_at_start") for p in peers if isinstance(p.get("loadavg_1min_at_start"), (int, float))]
    if loads and max(loads) >= 1.0 and any(p.get("device") == "cpu" for p in peers):
        print("WARNING: the 1-minute load average was %.2f when a peer started; other work on the CPUs makes "
              "multi-threaded timings unreliable (see bench/README.md, caveats)." % max(loads))
    for name, g in ours_by_recipe.items():
        print("gensharp %s: device %s, batch %s, %s repeats"
              % (name, g.get("device"), g.get("batch_size"), g.get("repeats")))
        peer = peers_by_recipe.get(name)
        if peer and g.get("batch_size") is not None and g.get("batch_size") != peer.get("batch_size"):
            print("  WARNING: batch sizes differ (gensharp %s, peer %s)" % (g.get("batch_size"), peer.get("batch_size")))


if __name__ == "__main__":
    main(sys.argv[1:])
