#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-study.sh - one boot of the fault-capture cost study (docs/cost-study.md).
#
# Usage: prototypes/fault-capture/run-study.sh KVER TAG [REPS [SCRIPT]]
#
# Builds bft_cost.ko for KVER (6.1 or 6.12), boots that kernel with
# qemu/run --icount --mode demo, runs SCRIPT (study-guest.sh, or
# study-combo.sh) in it, each workload REPS times (default 5), and keeps the
# guest's output in build/cost-study/KVER-TAG.txt; summarize.py turns such
# files into the tables of docs/cost-study.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
kver=${1:?usage: run-study.sh KVER TAG [REPS]} tag=${2:?usage: run-study.sh KVER TAG [REPS]}
reps=${3:-5}
script=$here/${4:-study-guest.sh}
case $kver in 6.1|6.12) ;; *) echo "run-study: KVER is 6.1 or 6.12" >&2; exit 2 ;; esac
export BFT_CACHE=${BFT_CACHE:-$top/.cache}
make -s -C "$here" KVER="$kver" >/dev/null
stage=$top/build/cost-study/extra-$kver
rm -rf "$stage"; mkdir -p "$stage"
cp "$top/build/proto-$kver/bft_cost.ko" "$stage/"
echo "$reps" > "$stage/reps"
out=$top/build/cost-study/$kver-$tag.txt
"$top/qemu/run" --kver "$kver" --mode demo --icount --timeout 3600 \
	--extra "$stage" --script "$script" > "$out" 2>&1 || true
grep -c '^ROW' "$out" | sed "s|^|$out: |;s|$| rows|"
