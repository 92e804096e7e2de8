#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# flake.sh - does the test VM ever complain by itself?  Boots each kernel
# N times with the module loaded and runs qemu/flake-guest.sh: the fault
# probes armed and disarmed about a dozen times under concurrent faults
# on every vCPU.  A boot fails if the console log shows a kernel complaint
# (the same list as qemu/run's test mode) or the guest did not finish.
#
# Usage: scripts/flake.sh [N] [KERNEL...]     (default: 200, 6.1 6.12)
#
# Prints one TAP line per kernel, the failing boots' complaints, and
# "flake: K: F of N boots failed, C arm/disarm cycles"; while it runs,
# build/flake-K.progress says how far it got ("boot I of N: B failed so
# far, C cycles").  Kernels run one after the other; to boot them at
# once, run one flake.sh per kernel from separate work trees.
# Exit 0 only when no boot failed.

set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-200}
shift || true
kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || kernels=(6.1 6.12)
case $n in ''|*[!0-9]*|0)
	echo "usage: scripts/flake.sh [N] [KERNEL...]: N is a positive number" >&2
	exit 2 ;;
esac

complaint_re='Kernel panic|Oops|BUG:|WARNING:|Call Trace|blocked for more than|general protection fault|scheduling while atomic|unreferenced object|UBSAN|KASAN|soft lockup|self-detected stall|rcu_preempt detected stalls|rcu_sched detected stalls'
rc=0

flake_kernel() {
	local k=$1 out=$top/build/vm-$1 i bad=0 cycles=0 c log build=
	log=$top/build/flake-$k.log
	mkdir -p "$out"
	: > "$log"
	: > "$top/build/flake-$k.progress"
	for i in $(seq "$n"); do
		bash "$top/qemu/run" --kver "$k" --mode demo $build \
			--script "$top/qemu/flake-guest.sh" --timeout 900 \
			> "$out/flake-run.log" 2>&1
		build=--no-build
		c=$(sed -n 's/^flake: \([0-9]*\) arm\/disarm cycles.*/\1/p' "$out/flake-run.log")
		cycles=$((cycles + ${c:-0}))
		if grep -Eq "$complaint_re" "$out/console.log" ||
		   ! grep -q '^BFT-GUEST-END rc=0' "$out/flake-run.log"; then
			bad=$((bad + 1))
			{
				echo "== boot $i of $k"
				cat "$out/flake-run.log"
				grep -En -B5 -A25 "$complaint_re" "$out/console.log" | head -80
			} >> "$log"
		fi
		echo "$(date -u +%FT%TZ) boot $i of $n: $bad failed so far, $cycles cycles" \
			> "$top/build/flake-$k.progress"
	done
	if [ "$bad" -eq 0 ]; then
		echo "ok - flake: $k: $n boots, no kernel complaint"
	else
		echo "not ok - flake: $k: $bad of $n boots failed: a kernel complaint, or the guest did not finish (see $log)"
		sed 's/^/#   /' "$log" | head -60
		rc=1
	fi
	echo "flake: $k: $bad of $n boots failed, $cycles arm/disarm cycles"
}

for k in "${kernels[@]}"; do
	flake_kernel "$k"
done
exit $rc
