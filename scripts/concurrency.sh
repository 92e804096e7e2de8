#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# concurrency.sh - everything at once on 4 vCPUs (issue 12): for SECONDS,
# qemu/concurrency-guest.sh runs traced execs (threads, forks, mmap calls,
# a wrapped file), untraced fault loops, readers of every trace file,
# enable toggles, buffer resizes and rmmod/insmod cycles together; then an
# accounting round whose every event must be read, overwritten or still
# in the ring.  Fails on any kernel complaint in the console log.
#
# Usage: scripts/concurrency.sh [SECONDS] [KERNEL...]  (default: 600, 6.1 6.12)
#
# Prints one TAP line per kernel and the guest's summary lines.

set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-600}
shift || true
kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || kernels=(6.1 6.12)
case $secs in ''|*[!0-9]*|0)
	echo "usage: scripts/concurrency.sh [SECONDS] [KERNEL...]: SECONDS is a positive number" >&2
	exit 2 ;;
esac

complaint_re='Kernel panic|Oops|BUG:|WARNING:|Call Trace|blocked for more than|general protection fault|scheduling while atomic|unreferenced object|UBSAN|KASAN|soft lockup|self-detected stall|rcu_preempt detected stalls|rcu_sched detected stalls'
script=$(mktemp)
trap 'rm -f "$script"' EXIT
{ echo "#!/bin/sh"; echo "DURATION=$secs"; cat "$top/qemu/concurrency-guest.sh"; } > "$script"
rc=0
for k in "${kernels[@]}"; do
	out=$top/build/vm-$k
	log=$top/build/concurrency-$k.log
	bash "$top/qemu/run" --kver "$k" --mode demo --smp 4 --script "$script" \
		--timeout $((secs + 900)) 2>&1 | tr -d '\r' > "$log"
	grep '^concurrency: \|^# ' "$log"
	if grep -q '^CONCURRENCY-OK' "$log" && grep -q '^BFT-GUEST-END rc=0' "$log" &&
	   ! grep -Eq "$complaint_re" "$out/console.log"; then
		echo "ok - concurrency: $k: $secs s on 4 vCPUs, no kernel complaint, every event accounted for"
	else
		echo "not ok - concurrency: $k: see $log and $out/console.log"
		grep -En -B5 -A25 "$complaint_re" "$out/console.log" | head -60 | sed 's/^/#   /'
		rc=1
	fi
done
exit $rc
