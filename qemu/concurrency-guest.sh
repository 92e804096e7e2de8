#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# concurrency-guest.sh - make concurrency's guest side (scripts/concurrency.sh
# puts DURATION=SECONDS in front of it).  For DURATION seconds, all at once:
# traced execs in place (threads, forks, mmap calls) and of a wrapped file,
# untraced fault loops, readers of every trace file, enable toggled, the
# buffer resized, and the module removed and loaded again.  Then, with
# nothing else running, one traced round with one reader, whose events
# must all be accounted for: written = read + overrun + still in the ring,
# and every read event is one line.  Prints CONCURRENCY-OK at the end if
# the module could be removed and the counts agree; the host checks the
# kernel log.
D=/sys/kernel/debug/binfmt_trace
T=/sys/kernel/debug/tracing/instances/binfmt_trace
P=/selftests/progs
KO=/lib/modules/binfmt_trace.ko
: "${DURATION:=600}"
end=$(($(date +%s) + DURATION))
running() { [ "$(date +%s)" -lt "$end" ]; }

untraced_faults() {
	while running; do "$P/bench" anon 4096 10 >/dev/null; done
}

traced_in_place() {
	while running; do
		for p in threads forker mmcalls touch hello-dynamic; do
			bft run --summary-only -- "$P/$p" >/dev/null 2>&1
		done
	done
}

traced_wrapped() {
	bft wrap "$P/hello-static" /tmp/conc.bft
	while running; do /tmp/conc.bft >/dev/null 2>&1; done
}

read_loop() {	# read_loop FILE: read it again and again
	while running; do
		timeout 2 cat "$1" >/dev/null 2>&1
		sleep 0.1
	done
}

toggle_enable() {
	while running; do
		echo 0 >"$D/enable"; sleep 0.3
		echo 1 >"$D/enable"; sleep 0.7
	done 2>/dev/null
}

resize_buffer() {
	while running; do
		for kb in 64 1410 256; do
			echo "$kb" >"$T/buffer_size_kb"; sleep 2
		done
	done 2>/dev/null
}

# remove_module: rmmod, retried while a traced process or an open file
# holds the module (up to 30 s).  Returns rmmod's last status.
remove_module() {
	n=0
	while ! rmmod binfmt_trace 2>/dev/null; do
		n=$((n + 1))
		[ $n -ge 300 ] && return 1
		sleep 0.1
	done
}

reload_module() {
	while running; do
		sleep 12
		if remove_module; then
			echo reloaded >>/tmp/conc.reloads
		fi
		grep -q '^binfmt_trace ' /proc/modules || insmod "$KO"
	done
}

echo "concurrency: $(nproc) vCPUs, $DURATION s"
untraced_faults & untraced_faults &
traced_in_place & traced_in_place &
traced_wrapped &
read_loop "$T/trace_pipe" & read_loop "$T/trace" &
read_loop "$D/sessions" & read_loop "$D/stats" &
read_loop "$T/per_cpu/cpu0/trace_pipe_raw" &
toggle_enable & resize_buffer & reload_module &
wait
grep -q '^binfmt_trace ' /proc/modules || insmod "$KO"
echo "concurrency: workload done, $(wc -l </tmp/conc.reloads 2>/dev/null || echo 0) rmmod/insmod cycles"

ok=1
if ! remove_module; then
	echo "concurrency: FAIL: the module cannot be removed after the workload"
	ok=
fi

# The accounting round: a fresh module and instance, one reader.
insmod "$KO"
echo 1410 >"$T/buffer_size_kb"
cat "$T/trace_pipe" >/tmp/conc.pipe &
reader=$!
for i in 1 2 3 4 5 6 7 8 9 10; do
	sh -c "echo 1 >$D/trace_next_exec && exec $P/threads" >/dev/null
	sh -c "echo 1 >$D/trace_next_exec && exec $P/mmcalls" >/dev/null
done
sleep 3
kill "$reader"; wait "$reader" 2>/dev/null
written=$(awk '$1 == "events_written" { print $2 }' "$D/stats")
dropped=$(awk '$1 == "events_dropped" { print $2 }' "$D/stats")
sum() { cat "$T"/per_cpu/cpu*/stats | awk -v k="$1" 'index($0, k ":") == 1 { s += $NF } END { print s + 0 }'; }
entries=$(sum entries) overrun=$(sum overrun) read=$(sum "read events")
lines=$(grep -c ': session=' /tmp/conc.pipe)
echo "concurrency: accounting: written=$written dropped=$dropped read=$read overrun=$overrun entries=$entries lines=$lines"
if [ "$written" != $((read + overrun + entries)) ] || [ "$read" != "$lines" ] ||
   [ "$written" -eq 0 ]; then
	echo "concurrency: FAIL: events not all accounted for"
	ok=
fi
if ! remove_module; then
	echo "concurrency: FAIL: the module cannot be removed at the end"
	ok=
fi
[ -n "$ok" ] && echo CONCURRENCY-OK
