#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# exec-parts.sh - where a traced exec's cost goes (docs/cost-study.md, Step 4).
# The wrapper's no-events flags take each part away in turn; prints the
# median of three loops of 100 fork+exec+wait, guest ns for 100 execs.
# Run: qemu/run --kver 6.12 --mode demo --icount --script prototypes/exec-cost/exec-parts.sh
D=/sys/kernel/debug/binfmt_trace
P=/sys/module/binfmt_trace/parameters
B=/selftests/progs/bench
H=/selftests/progs/hello-dynamic
echo 100 > $P/disarm_delay_ms
echo 16384 > $D/buffer_size_kb; echo 16384 > $P/ring_kb
bft wrap $B /tmp/bench.bft
bft wrap $H /tmp/hd.bft
bft wrap --no-fault-events $H /tmp/hd-nf.bft
bft wrap --no-load-events $H /tmp/hd-nl.bft
bft wrap --no-load-events --no-fault-events $H /tmp/hd-none.bft
$B anon 4096 4 >/dev/null
m() { for i in 1 2 3; do : > $D/trace; cat $D/faults_raw >/dev/null 2>&1; $B spawn 100 "$1" | awk '{print $1}'; done | sort -n | sed -n 2p; }
echo ring > $P/fault_capture
echo "plain $(m $H)"
/tmp/bench.bft sleep & s=$!; sleep 2
grep probes_armed $D/stats
echo "armed-plain $(m $H)"
echo "none $(m /tmp/hd-none.bft)"
echo "noload $(m /tmp/hd-nl.bft)"
echo "nofault $(m /tmp/hd-nf.bft)"
echo "full $(m /tmp/hd.bft)"
grep -E "events_written|mmap_deferred|ring_unread" $D/stats
echo 0 > $D/enable
echo "disabled $(m /tmp/hd.bft)"
echo 1 > $D/enable
kill $s
tail -3 $D/sessions | cut -c1-250
