#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench-loss.sh - does one reader keep up?  Run inside the VM by 'make
# bench' in a plain TCG boot (no -icount: the reader and the program race
# in real time, so the figures are noisy and vary with the host's load).
#
# For each capture and rate, 'bft run --summary-only' runs 'bench rate
# RATE SECONDS' (anonymous write faults, paced) while it reads trace_pipe
# (and, for the ring capture, faults_raw) at the module's default buffer
# sizes; its summary says how many events were lost.  Writes the table to stdout and /mnt/disk/out/loss.md.
set -e
P=/sys/module/binfmt_trace/parameters
D=/sys/kernel/debug/binfmt_trace
B=/selftests/progs/bench
OUT=/mnt/disk/out/loss.md

if [ "${BENCH_SMOKE:-0}" = 1 ]; then
	RATES=20000 SECONDS_EACH=1
else
	RATES="20000 60000 200000" SECONDS_EACH=2
fi

armed() { sed -n 's/^probes_armed //p' $D/stats; }

capture() {
	i=0
	while [ "$(armed)" != 0 ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	echo "$1" > $P/fault_capture
}

# row CAPTURE RATE: one table row from one traced run.
row() {
	out=$(bft run --summary-only -- $B rate "$2" $SECONDS_EACH)
	echo "$out" | awk -v c="$1" -v r="$2" '
		/^[0-9]+ [0-9]+$/ { ns = $1; n = $2 }
		/^faults: / { events = $2 }
		/^lost: / { lost = $2 }
		END {
			if (lost == "unknown" || lost == "")
				pct = "?"
			else
				pct = sprintf("%.1f%%", 100 * lost / (events + lost))
			printf "| %s | %d | %.0f | %d | %d | %s | %s |\n", c, r,
			       n / (ns / 1e9), n, events, lost, pct
		}'
}

echo 100 > $P/disarm_delay_ms
# The first traced exec gives the buffers their size (idle until then).
bft run --summary-only -- /selftests/progs/hello-static > /dev/null
kb=$(awk '{ print $1; exit }' $D/buffer_size_kb)
rkb=$(cat $P/ring_kb)
{
	echo "$(nproc) vCPU, plain TCG (real time, noisy), buffer_size_kb $kb" \
	     "and ring_kb $rkb a CPU (the defaults), one reader (bft run)."
	echo
	echo "| capture | faults/s asked | faults/s reached | faults (getrusage) | page_fault events read | events lost | lost |"
	echo "|---|---|---|---|---|---|---|"
	for c in detail fast ring; do
		capture $c
		for r in $RATES; do
			row $c "$r"
		done
	done
} > /tmp/loss.md
mkdir -p "$(dirname $OUT)"
tee $OUT < /tmp/loss.md
