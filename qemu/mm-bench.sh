#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mm-bench.sh [ROUNDS] - what the memory-map probes cost, run in the VM:
#   qemu/run --kver K --mode demo --script qemu/mm-bench.sh
# bench maps (mmap, mprotect, munmap of one untouched page; ROUNDS times,
# default 20000) five times each: probes disarmed, armed (a traced bench
# sleep alive, the runner untraced), and traced itself.  Guest ns.
D=/sys/kernel/debug/binfmt_trace
B=/selftests/progs/bench
N=${1:-20000}

five() {
	for run in 1 2 3 4 5; do
		echo "$1 $("$2" maps "$N") (run $run)"
	done
}

bft wrap "$B" /tmp/bench.bft
five disarmed "$B"
grep '^probes_armed ' "$D/stats"
/tmp/bench.bft sleep &
sleeper=$!
sleep 1
grep '^probes_armed ' "$D/stats"
five armed "$B"
five traced /tmp/bench.bft
kill "$sleeper"
grep -E "_probe_missed" "$D/stats"
tail -n 5 "$D/sessions"
