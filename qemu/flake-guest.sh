#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# flake-guest.sh - one boot of 'make flake': arm and disarm the fault
# probes many times while untraced processes fault on every CPU, so that
# kernel text is patched under concurrent faults.  Prints the cycles and
# faults done; the host counts kernel complaints in the console log.
set -e
P=/sys/module/binfmt_trace/parameters
D=/sys/kernel/debug/binfmt_trace
B=/selftests/progs/bench
CYCLES=${CYCLES:-12}

armed_count() { sed -n 's/^probes_armed_count //p' $D/stats; }

echo 100 > $P/disarm_delay_ms
start=$(armed_count)

# One untraced fault loop per vCPU, until killed: 4096 pages a round.
loops=
for cpu in $(seq "$(nproc)"); do
	( while :; do $B faults 4096 1 >/dev/null; done ) &
	loops="$loops $!"
done

# Each traced exec arms the probes; 300 ms later they are gone again.
# The captures alternate: the detail capture's kretprobes, then the fast
# capture's tracepoint probes (fault_capture is read at each arming).
i=0
while [ $i -lt "$CYCLES" ]; do
	if [ $((i % 2)) = 0 ]; then
		echo detail > $P/fault_capture
	else
		echo fast > $P/fault_capture
	fi
	bft run --summary-only -o /dev/null -- /selftests/progs/hello-static \
		>/dev/null
	sleep 0.3
	i=$((i + 1))
done
kill $loops
wait 2>/dev/null || true

echo 10000 > $P/disarm_delay_ms
echo detail > $P/fault_capture
echo "flake: $((  $(armed_count) - start )) arm/disarm cycles, $CYCLES traced execs (captures alternating), $(nproc) fault loops"
