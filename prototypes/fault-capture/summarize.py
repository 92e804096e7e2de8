#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""summarize.py - tables of the fault-capture cost study.

Usage: summarize.py FILE...   (build/cost-study/KVER-TAG.txt from run-study.sh)

Each configuration is compared with the base row (no probe) measured last
before it in the same boot.  Prints, per kernel, one markdown table: for
each workload the extra guest ns per fault over the base and the ratio,
for every boot given (A / B), and the spread of the ratio between boots.
"""
import collections
import re
import sys

WORKLOADS = ("anon", "file", "cow")


def parse(path):
    """(kernel, {config: {workload: (ns, faults, base_ns)}}, order)."""
    kernel, rows, order, base = None, {}, [], {}
    with open(path) as f:
        for line in f:
            m = re.match(r"INFO kernel (\S+)", line)
            if m:
                kernel = m.group(1)
            f_ = line.split()
            if not f_ or f_[0] != "ROW" or len(f_) < 5:
                continue
            config, work, ns, faults = f_[1], f_[2], int(f_[3]), int(f_[4])
            if config.startswith("base"):
                base[work] = ns
            if config not in rows:
                rows[config] = {}
                order.append(config)
            rows[config][work] = (ns, faults, base.get(work, ns))
    return kernel, rows, order


def main():
    if len(sys.argv) < 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    by_kernel = collections.OrderedDict()
    for path in sys.argv[1:]:
        kernel, rows, order = parse(path)
        if kernel is None:
            print(f"summarize: {path}: no 'INFO kernel' line", file=sys.stderr)
            return 2
        by_kernel.setdefault(kernel, []).append((path, rows, order))
    for kernel, boots in by_kernel.items():
        names = " / ".join(p.rsplit("/", 1)[-1] for p, _, _ in boots)
        print(f"\n### {kernel} ({names})\n")
        hdr = "| config |"
        for w in WORKLOADS:
            hdr += f" {w}: +ns/fault | {w}: ratio |"
        print(hdr)
        print("|---" * (1 + 2 * len(WORKLOADS)) + "|")
        order = boots[0][2]
        for config in order:
            if config == "warmup":
                continue
            line = f"| {config} |"
            for w in WORKLOADS:
                extras, ratios = [], []
                for _, rows, _ in boots:
                    r = rows.get(config, {}).get(w)
                    if not r:
                        continue
                    ns, faults, base = r
                    extras.append((ns - base) / faults)
                    ratios.append(ns / base)
                if not ratios:
                    line += " - | - |"
                    continue
                line += " " + " / ".join(f"{e:+.0f}" for e in extras) + " |"
                spread = (max(ratios) - min(ratios)) * 100
                line += " " + " / ".join(f"{r:.4f}" for r in ratios)
                line += f" (±{spread:.2f}%) |" if len(ratios) > 1 else " |"
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
