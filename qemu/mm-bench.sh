#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mm-bench.sh - run in the VM: qemu/run --kver K --mode demo --script qemu/mm-bench.sh
# The cost of the memory-map probes for an untraced process: bench maps
# (mmap + mprotect + munmap of one untouched page), disarmed, then armed
# (a traced bench sleep alive), then traced itself.
D=/sys/kernel/debug/binfmt_trace
B=/selftests/progs/bench
N=${1:-20000}
bft wrap $B /tmp/bench.bft
for i in 1 2 3 4 5; do echo "disarmed $($B maps $N)"; done
grep probes_armed $D/stats | head -1
/tmp/bench.bft sleep &
SL=$!
sleep 1
grep probes_armed $D/stats | head -1
for i in 1 2 3 4 5; do echo "armed $($B maps $N)"; done
for i in 1 2 3 4 5; do echo "traced $(/tmp/bench.bft maps $N)"; done
kill $SL
grep -E "_probe_missed" $D/stats
tail -2 $D/sessions
