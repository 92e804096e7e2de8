#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# study-guest.sh - the fault-capture cost study, run in the VM by
# run-study.sh (qemu/run --icount --mode demo --extra DIR --script this).
#
# Prints one line per configuration and workload:
#   ROW <config> <workload> <median guest ns> <faults> <ns of the 5 runs...>
# Workloads: anon (anonymous write faults), file (warm ext4 MAP_SHARED read
# faults, one per fault-around block), cow (warm ext4 MAP_PRIVATE write
# faults: filemap_fault() hit, then a copy).
B=/selftests/progs/bench
K=/extra/bft_cost.ko
P=/sys/module/bft_cost/parameters
T=/sys/kernel/tracing
F=/mnt/disk/costfile
REPS=$(cat /extra/reps 2>/dev/null || echo 5)
ANON="4096 4"
FILE_ROUNDS=16
COW_ROUNDS=2

[ -e $T/trace ] || mount -t tracefs nodev $T
rmmod binfmt_trace 2>/dev/null
dd if=/dev/zero of=$F bs=1M count=16 2>/dev/null
sync
cat $F > /dev/null

# run_one WORKLOAD [traced]: one run, "NS FAULTS"; traced: the bench process
# is bft_cost's target from before its exec.
run_one() {
	case $1 in
	anon) set -- "$2" anon $ANON ;;
	file) set -- "$2" file $F $FILE_ROUNDS ;;
	cow) set -- "$2" cow $F $COW_ROUNDS ;;
	esac
	if [ "$1" = traced ]; then
		shift
		sh -c "echo \$\$ > $P/tgid; exec $B $*"
	elif [ "$1" = bft ]; then
		shift
		/tmp/bench.bft "$@"
	else
		shift
		$B "$@"
	fi
}

clear_trace() {
	[ -w $T/trace ] && echo > $T/trace
	[ -w /sys/kernel/debug/binfmt_trace/trace ] &&
		echo > /sys/kernel/debug/binfmt_trace/trace
	return 0
}

# measure CONFIG [traced|bft]: every workload, REPS runs each.
measure() {
	for w in anon file cow; do
		all=
		for i in $(seq $REPS); do
			clear_trace
			all="$all$(run_one $w "$2")
"
		done
		med=$(printf '%s' "$all" | sort -n | sed -n "$(((REPS + 1) / 2))p")
		echo "ROW $1 $w $med $(printf '%s' "$all" | cut -d' ' -f1 | tr '\n' ' ')"
	done
}

sleeper_start() {
	$B sleep &
	sleeper=$!
}

sleeper_stop() {
	kill $sleeper
	wait $sleeper 2>/dev/null
}

# proto HOOK RECORD MODE [SYM]: bft_cost with that hook (on function SYM,
# default handle_mm_fault); MODE untraced (a sleeping process is the
# target) or traced (the bench is).
proto() {
	name=$1
	[ -n "${4:-}" ] && name=$1@$4
	if ! insmod $K hook=$1 record=$2 ${4:+sym=$4} 2>/dev/null; then
		echo "SKIP proto-$name-r$2-$3: insmod failed"
		return
	fi
	if [ "$2" = 2 ]; then
		echo 8192 > $T/buffer_size_kb
		echo 1 > $T/events/bft_cost/fault/enable
	fi
	if [ "$3" = untraced ]; then
		sleeper_start
		echo $sleeper > $P/tgid
		measure "proto-$name-r$2-untraced"
		echo -1 > $P/tgid
		sleeper_stop
	else
		measure "proto-$name-r$2-traced" traced
		echo "INFO proto-$name-r$2-traced written/lost: $(cat $P/written)"
	fi
	if [ "$2" = 2 ]; then
		echo 0 > $T/events/bft_cost/fault/enable
		echo "INFO proto-$name-r2 results of the last run:" \
			$(grep -o 'vm_fault=0x[0-9a-f]*' $T/trace | sort | uniq -c)
		grep -m2 'fault: ' $T/trace | sed "s/^/INFO proto-$name-r2 sample: /"
	fi
	rmmod bft_cost
}

# ftrace NAME: one of ftrace's own ways, recording every fault.
ftrace() {
	echo 8192 > $T/buffer_size_kb
	case $1 in
	tp) echo 1 > $T/events/exceptions/page_fault_user/enable ;;
	kprobe)
		echo 'p:cost/hmf handle_mm_fault addr=%si:x64 flags=%dx:x32' \
			> $T/kprobe_events
		echo 1 > $T/events/cost/enable ;;
	kretprobe)
		echo 'r:cost/hmfr handle_mm_fault ret=$retval:x32' \
			> $T/kprobe_events
		echo 1 > $T/events/cost/enable ;;
	esac
	measure "ftrace-$1"
	echo "INFO ftrace-$1 entries: $(wc -l < $T/trace)"
	echo 0 > $T/events/enable
	echo > $T/kprobe_events
	echo 1408 > $T/buffer_size_kb
}

echo "INFO kernel $(uname -r) reps $REPS"
# The first runs of a boot are slower (0.7% in a trial): warm up first.
measure warmup >/dev/null
measure base-1

for h in kretprobe kprobe fprobe fprobe_exit tp perf_all perf_min \
	 perf_minmaj; do
	proto $h 0 untraced
done
proto kretprobe 0 untraced filemap_fault
proto kprobe 0 untraced lock_mm_and_find_vma
measure base-2
for h in kretprobe kprobe fprobe fprobe_exit tp tp_tw perf_minmaj; do
	proto $h 0 traced
	proto $h 1 traced
done
measure base-3
for h in kprobe fprobe_exit tp tp_tw; do
	proto $h 2 traced
done
for f in tp kprobe kretprobe; do
	ftrace $f
done
measure base-4

# binfmt_trace as it is: armed with a traced sleeper, and traced.
insmod /lib/modules/binfmt_trace.ko
bft wrap $B /tmp/bench.bft
/tmp/bench.bft sleep &
bsleeper=$!
sleep 1
echo "INFO bft $(grep -E '^probes_armed ' /sys/kernel/debug/binfmt_trace/stats)"
measure bft-armed-untraced
echo 16384 > /sys/kernel/debug/binfmt_trace/buffer_size_kb
measure bft-traced bft
kill $bsleeper
wait $bsleeper 2>/dev/null
grep -E '^events_(written|dropped) ' /sys/kernel/debug/binfmt_trace/stats |
	sed 's/^/INFO bft /'
rmmod binfmt_trace 2>/dev/null || sleep 11
rmmod binfmt_trace 2>/dev/null

measure base-5
rm -f $F
echo "INFO done"
